"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "~/trpc/react";
import { describeError } from "../form-errors";
import { primaryButtonClass } from "../styles";

/** Restore a tombstoned record (admins): it becomes live again and every system receives it. */
export function RestoreButton({ id, label }: { id: string; label: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const restore = useMutation(trpc.records.restore.mutationOptions({ onSuccess: () => router.refresh() }));
  const message = describeError(restore.error).message;
  return (
    <div className="space-y-2">
      <button type="button" disabled={restore.isPending || restore.isSuccess} onClick={() => restore.mutate({ id })} className={primaryButtonClass}>
        {restore.isPending ? "Restoring…" : `Restore ${label}`}
      </button>
      {message ? <p role="alert" className="text-sm text-red-700">{message}</p> : null}
      {restore.data ? (
        <p role="status" className="text-sm text-green-800">
          Restored. Sending it to {restore.data.targets.length} {restore.data.targets.length === 1 ? "system" : "systems"} now.
        </p>
      ) : null}
    </div>
  );
}
