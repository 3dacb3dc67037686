"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "~/trpc/react";
import { describeError } from "../form-errors";
import { dangerButtonClass, primaryButtonClass } from "../styles";

/** Replay (dead or retrying) and Cancel (waiting or dead) one delivery. */
export function DeliveryActions({ id, status }: { id: number; status: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const replay = useMutation(trpc.deliveries.replay.mutationOptions({ onSuccess: () => router.refresh() }));
  const cancel = useMutation(trpc.deliveries.cancel.mutationOptions({ onSuccess: () => router.refresh() }));
  const busy = replay.isPending || cancel.isPending;
  const message = describeError(replay.error ?? cancel.error).message;
  const canReplay = status === "dead" || status === "retrying";
  const canCancel = status === "pending" || status === "retrying" || status === "dead";
  if (!canReplay && !canCancel && !message && !replay.data) return null;

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-3">
        {canReplay ? (
          <button type="button" disabled={busy} onClick={() => replay.mutate({ id })} className={primaryButtonClass}>
            {replay.isPending ? "Replaying…" : "Replay now"}
          </button>
        ) : null}
        {canCancel ? (
          <button type="button" disabled={busy} onClick={() => cancel.mutate({ id })} className={dangerButtonClass}>
            {cancel.isPending ? "Cancelling…" : "Cancel delivery"}
          </button>
        ) : null}
      </div>
      {message ? <p role="alert" className="text-sm text-red-700">{message}</p> : null}
      {replay.data?.status === "superseded" ? (
        <p role="status" className="text-sm text-green-800">
          Another delivery of this record to the same system was already waiting: #{replay.data.dueDeliveryId} sends the current values now instead.
        </p>
      ) : null}
    </div>
  );
}
