"use client";

import { isActiveRun, processed } from "~/components/runs/run-labels";
import { useRunLive } from "~/components/runs/run-live";
import type { TRunView } from "~/server/services/runs/run-view";
import { RunDelivering } from "./run-delivering";

type TCounts = TRunView["counts"];

const clamp = (n: number) => Math.max(0, Math.min(100, Math.round(n)));

/** The bar's value: 100 once succeeded; else the reported percent, or items handled against items fetched (never 100 while going). */
function progressPercent(status: string, counts: TCounts, reported: number | null): number | null {
  if (status === "succeeded") return 100;
  const active = isActiveRun(status);
  if (reported !== null) return active ? Math.min(99, clamp(reported)) : clamp(reported);
  if (counts.fetched === 0) return active ? null : 0;
  const share = clamp((Math.min(processed(counts), counts.fetched) / counts.fetched) * 100);
  return active ? Math.min(99, share) : share;
}

function progressText(status: string, counts: TCounts): string {
  const done = Math.min(processed(counts), counts.fetched);
  const items = (n: number) => `${n} ${n === 1 ? "item" : "items"}`;
  switch (status) {
    case "queued":
      return "Waiting to start…";
    case "running":
      return counts.fetched === 0 ? "Reading the first page…" : `${done} of ${items(counts.fetched)} fetched handled so far`;
    case "succeeded":
      return `Done: ${items(counts.fetched)} read`;
    case "awaiting-approval":
      return `${items(counts.fetched)} read; waiting for an admin to decide on the held deletes`;
    case "cancelled":
      return `Cancelled after ${done} of ${items(counts.fetched)}`;
    case "failed":
      return `Failed after ${done} of ${items(counts.fetched)}`;
    default:
      return status;
  }
}

/**
 * A run's progress, reading and delivering apart: the reading bar (role="progressbar" named "Reading",
 * aria-valuenow in percent) from the run's live state, and below it what the run queued to other systems.
 * A run that has read everything is not yet "arrived": its writes may still be on their way.
 */
export function RunProgress({ runId }: { runId: string }) {
  const shown = useRunLive();
  const percent = progressPercent(shown.status, shown.counts, shown.percent);
  const text = progressText(shown.status, shown.counts);
  const finished = !isActiveRun(shown.status);

  return (
    <section aria-label="Run progress" className="mb-4 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm sm:px-6">
      <div className="flex flex-wrap justify-between gap-x-4 text-sm text-zinc-700">
        <span id="run-progress-label" className="font-medium">Reading</span>
        <span data-testid="run-progress-text" aria-live="polite">
          {text}
          {percent !== null ? <span className="ml-2 font-semibold tabular-nums">{percent} %</span> : null}
        </span>
      </div>
      <div
        role="progressbar"
        aria-labelledby="run-progress-label"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? 0}
        aria-valuetext={percent === null ? text : `${percent} %: ${text}`}
        data-state={finished ? shown.status : "running"}
        className="mt-1 h-2 w-full overflow-hidden rounded-full bg-zinc-200"
      >
        {/* Unknown so far: a pulsing third, never a full bar that would read as done. */}
        <div
          className={`h-full rounded-full transition-[width] duration-500 ${shown.status === "failed" ? "bg-red-600" : shown.status === "succeeded" ? "bg-green-600" : "bg-indigo-600"} ${percent === null ? "animate-pulse" : ""}`}
          style={{ width: `${percent ?? 33}%` }}
        />
      </div>
      <RunDelivering runId={runId} reading={!finished} />
    </section>
  );
}
