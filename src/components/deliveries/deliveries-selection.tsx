"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { TDeliveryView } from "~/server/services/deliveries/delivery-view";
import { useTRPC } from "~/trpc/react";
import { describeError } from "../form-errors";
import { primaryButtonClass, secondaryButtonClass } from "../styles";
import { DeliveriesTable, isReplayable } from "./deliveries-table";

/** The deliveries table with checkboxes (admins): replay the checked dead or retrying deliveries at once. */
export function DeliveriesSelection({ items, systemNames }: { items: TDeliveryView[]; systemNames: Record<string, string> }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const replay = useMutation(trpc.deliveries.replayMany.mutationOptions({ onSuccess: () => setSelected(new Set()), onSettled: () => router.refresh() }));
  const message = describeError(replay.error).message;
  // A live re-render may have moved a checked delivery on (replayed, cancelled…): only what is still replayable here counts.
  const shown = new Set(items.filter(isReplayable).map((d) => d.id));
  const chosen = [...selected].filter((id) => shown.has(id));

  const toggle = (id: number) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const toggleAll = () => setSelected((s) => ([...shown].every((id) => s.has(id)) ? new Set() : new Set(shown)));

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-3" role="group" aria-label="Replay the selected deliveries">
        <button type="button" disabled={chosen.length === 0 || replay.isPending} onClick={() => replay.mutate({ ids: chosen })} className={primaryButtonClass}>
          {replay.isPending ? "Replaying…" : `Replay selected (${chosen.length})`}
        </button>
        {chosen.length ? (
          <button type="button" onClick={() => setSelected(new Set())} className={secondaryButtonClass}>
            Clear selection
          </button>
        ) : (
          <span className="text-sm text-zinc-500">Check dead or retrying deliveries to replay them now.</span>
        )}
      </div>
      {message ? <p role="alert" className="text-sm text-red-700">{message}</p> : null}
      {replay.data ? (
        <p role="status" className="text-sm text-green-800">
          Replayed {replay.data.replayed}
          {replay.data.superseded ? ` (${replay.data.superseded} handed to a delivery already waiting)` : ""}
          {replay.data.skipped ? `; ${replay.data.skipped} skipped (no longer dead or retrying)` : ""}.
        </p>
      ) : null}
      <DeliveriesTable items={items} systemNames={systemNames} selection={{ selected, toggle, toggleAll }} />
    </div>
  );
}
