"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

const n = (x: number) => x.toLocaleString("en-US");

/** What a run queued to other systems and where it stands, polled until nothing is on its way any more. */
export function RunDelivering({ runId, reading }: { runId: string; reading: boolean }) {
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.runs.deliveries.queryOptions({ id: runId }),
    refetchInterval: (query) => (reading || !query.state.data || query.state.data.waiting > 0 ? 1_500 : false),
  });
  const d = q.data;
  if (!d) return null;
  const handled = d.delivered + d.blocked + d.dead + d.cancelled;
  const going = reading || d.waiting > 0;
  const pct = d.queued === 0 ? (going ? 0 : 100) : Math.round((handled / d.queued) * 100);
  const shown = going ? Math.min(99, pct) : pct;
  const parts = [
    `${n(d.delivered)} of ${n(d.queued)} delivered`,
    ...(d.waiting ? [`${n(d.waiting)} on the way`] : []),
    ...(d.blocked ? [`${n(d.blocked)} blocked by a parent`] : []),
    ...(d.dead ? [`${n(d.dead)} dead`] : []),
    ...(d.cancelled ? [`${n(d.cancelled)} cancelled`] : []),
  ];
  const text = d.queued === 0 ? (reading ? "Nothing queued yet" : "Nothing to write to other systems") : parts.join(" · ");
  return (
    <div className="mt-3">
      <div className="flex flex-wrap justify-between gap-x-4 text-sm text-zinc-700">
        <span id="run-delivering-label" className="font-medium">Delivering</span>
        <span data-testid="run-delivering-text" aria-live="polite">
          {text}
          {d.queued > 0 ? <span className="ml-2 font-semibold tabular-nums">{shown} %</span> : null}
        </span>
      </div>
      <div
        role="progressbar"
        aria-labelledby="run-delivering-label"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={shown}
        aria-valuetext={`${shown} %: ${text}`}
        data-state={going ? "delivering" : "done"}
        className="mt-1 h-2 w-full overflow-hidden rounded-full bg-zinc-200"
      >
        <div className={`h-full rounded-full transition-[width] duration-500 ${going ? "bg-indigo-600" : "bg-green-600"}`} style={{ width: `${shown}%` }} />
      </div>
    </div>
  );
}
