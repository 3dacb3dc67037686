import type { TDriftCheckView } from "~/server/services/drift/drift-view";
import { formatDuration } from "../console/format";
import { StatusBadge } from "../console/status-badge";
import { DateTime } from "../date-time";

/** What one drift check found, or how far it has got. */
export function DriftSummary({ check, systems }: { check: TDriftCheckView; systems: string }) {
  const running = check.status === "running";
  const took = check.finishedAt ? formatDuration(check.finishedAt.getTime() - check.startedAt.getTime()) : null;
  return (
    <section aria-label="Drift check" className="mb-4 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm sm:px-6">
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1">
        <h2 className="text-base font-semibold text-zinc-900">
          Check of {check.entity} <StatusBadge status={check.status} />
        </h2>
        <p className="text-xs text-zinc-500">
          Started <DateTime value={check.startedAt} />
          {check.startedBy ? <> by {check.startedBy}</> : null}
          {took ? <>, took {took}</> : null}
        </p>
      </div>
      <dl className="mt-3 grid grid-cols-2 gap-3 sm:max-w-md">
        <div>
          <dt className="text-xs font-semibold tracking-wide text-zinc-600 uppercase">Linked documents compared</dt>
          <dd className="text-lg font-semibold tabular-nums text-zinc-900" data-testid="drift-checked">{check.checked}</dd>
        </div>
        <div>
          <dt className="text-xs font-semibold tracking-wide text-zinc-600 uppercase">Differing</dt>
          <dd className="text-lg font-semibold tabular-nums text-zinc-900" data-testid="drift-drifted">{check.drifted}</dd>
        </div>
      </dl>
      <p role="status" aria-live="polite" className="mt-2 text-sm text-zinc-600">
        {running
          ? `Reading every linked document from ${systems}… ${check.checked} compared so far.`
          : check.status === "done"
            ? check.drifted === 0
              ? "No drift: every linked document agrees with Concord on its common fields."
              : `${check.drifted} linked ${check.drifted === 1 ? "document differs" : "documents differ"} from Concord.`
            : null}
      </p>
      {check.status === "failed" ? (
        <p role="alert" className="mt-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 [overflow-wrap:anywhere]">
          The check stopped: {check.error ?? "unknown reason"}. What it found before that is listed below.
        </p>
      ) : null}
    </section>
  );
}
