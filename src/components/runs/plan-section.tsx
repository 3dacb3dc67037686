import Link from "next/link";
import type { TRunView } from "~/server/services/runs/run-view";
import { Pagination } from "../pagination";
import { linkClass } from "../styles";
import { PlanApply } from "./plan-apply";
import type { TParsedPlan } from "./run-plan";
import { RunPlanTable } from "./run-plan-table";
import { DateTime } from "../date-time";
import { StatusBadge } from "../console/status-badge";

interface Props {
  run: TRunView;
  plan: TParsedPlan;
  page: number;
  pageSize: number;
  hrefFor: (page: number) => string;
  /** Runs that applied some of this plan, and what they applied. */
  applications: { runs: TRunView[]; applied: string[] };
  systemNames: Record<string, string>;
  canApply: boolean;
}

/** A plan as a diff — per record, per field, before → after — and, for a finished dry run, applying it (admins). */
export function PlanSection({ run, plan, page, pageSize, hrefFor, applications, systemNames, canApply }: Props) {
  const entries = plan.entries.slice((page - 1) * pageSize, page * pageSize);
  const totalPages = Math.max(1, Math.ceil(plan.entries.length / pageSize));
  const applied = new Set(applications.applied);
  const sourceName = systemNames[run.system] ?? run.system;
  return (
    <section aria-labelledby="plan-title" className="mt-8 space-y-3">
      <div>
        <h2 id="plan-title" className="text-lg font-semibold text-zinc-900">Plan</h2>
        <p className="mt-1 text-sm text-zinc-600">
          {plan.entries.length === 0
            ? "A full sync would change nothing: every record already agrees."
            : `${plan.entries.length} ${plan.entries.length === 1 ? "record" : "records"} would change${plan.truncated ? " (the plan keeps the first 2,000)" : ""}${applied.size ? `; ${applied.size} applied since` : ""}.`}
        </p>
      </div>
      {applications.runs.length ? (
        <ul aria-label="Runs that applied this plan" className="space-y-1 text-sm text-zinc-700">
          {applications.runs.map((r) => (
            <li key={r.id}>
              <Link href={`/runs/${r.id}`} className={linkClass}>Applied <DateTime value={r.createdAt} /></Link> by {r.startedBy ?? r.trigger} <StatusBadge status={r.status} />
            </li>
          ))}
        </ul>
      ) : null}
      {entries.length ? (
        <>
          {canApply ? (
            <PlanApply runId={run.id} entries={entries} total={plan.entries.length} applied={applications.applied} systemNames={systemNames} sourceName={sourceName} />
          ) : (
            <RunPlanTable entries={entries} systemNames={systemNames} applied={applied} />
          )}
          <Pagination page={page} totalPages={totalPages} hrefFor={hrefFor} />
        </>
      ) : null}
    </section>
  );
}
