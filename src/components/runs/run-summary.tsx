import type { ReactNode } from "react";
import type { TRunView } from "~/server/services/runs/run-view";
import { formatDuration } from "../console/format";
import { DateTime } from "../date-time";
import { COUNT_KEYS, kindLabel, runDurationMs } from "./run-labels";
import { LiveRunCount, LiveRunPhase, LiveRunStatus } from "./run-live";

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">{term}</dt>
      <dd className="mt-0.5 text-sm text-zinc-900 [overflow-wrap:anywhere]">{children}</dd>
    </div>
  );
}

/** Status, timing and counts of one run; status and counts live (under a RunLiveProvider). */
export function RunSummary({ run, systemName }: { run: TRunView; systemName: string }) {
  const took = runDurationMs(run);
  return (
    <section aria-label="Run status" className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm sm:p-6">
      <dl className="grid grid-cols-1 gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4">
        <Fact term="Status">
          <span aria-live="polite" data-testid="run-status">
            <LiveRunStatus />
          </span>
          <LiveRunPhase phase={run.phase} serverStatus={run.status} />
        </Fact>
        <Fact term="What">
          {kindLabel(run.kind)} of {run.entity} from {systemName}
        </Fact>
        <Fact term="Started by">
          {run.startedBy ?? "—"} <span className="text-zinc-500">({run.trigger})</span>
        </Fact>
        <Fact term="Took">{took === null ? "—" : `${formatDuration(took)}${run.finishedAt ? "" : " so far"}`}</Fact>
        <Fact term="Created"><DateTime value={run.createdAt} /></Fact>
        <Fact term="Started">{run.startedAt ? <DateTime value={run.startedAt} /> : "Not yet"}</Fact>
        <Fact term="Finished">{run.finishedAt ? <DateTime value={run.finishedAt} /> : "Not yet"}</Fact>
      </dl>
      {run.error ? (
        <div className={`mt-4 rounded-md border px-3 py-2 text-sm ${run.status === "awaiting-approval" ? "border-amber-300 bg-amber-50 text-amber-900" : "border-red-200 bg-red-50 text-red-800"}`}>
          <p className="font-semibold">{run.status === "awaiting-approval" ? "Waiting for an admin" : "Error"}</p>
          <p data-testid="run-error" className="[overflow-wrap:anywhere]">{run.error}</p>
        </div>
      ) : null}
      <h2 className="mt-5 text-sm font-semibold text-zinc-900">Counts</h2>
      <dl className="mt-2 grid grid-cols-3 gap-2 sm:grid-cols-5 lg:grid-cols-9">
        {COUNT_KEYS.map((k) => (
          <div key={k} className="rounded-md bg-zinc-50 px-2 py-1.5">
            <dt className="text-xs text-zinc-500">{k}</dt>
            <LiveRunCount name={k} />
          </div>
        ))}
      </dl>
    </section>
  );
}
