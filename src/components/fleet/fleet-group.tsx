"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { TFleetGroupView } from "~/server/services/fleet/get-fleet-group";
import { useTRPC } from "~/trpc/react";
import { StatusBadge } from "../console/status-badge";
import { linkClass } from "../styles";
import { TableRegion, tdClass, thClass } from "../table-region";
import { GroupBlocked } from "./group-blocked";

const n = (x: number) => x.toLocaleString("en-US");
const STATE_TEXT: Record<TFleetGroupView["state"], string> = {
  reading: "Reading the Onboarding Portal",
  delivering: "Everything is read; writes are still on their way",
  done: "Done: every write is delivered, dead or blocked",
};

/** A bar of `part` out of `whole` (role="progressbar"), never full while anything is still going. */
function Bar({ label, part, whole, going }: { label: string; part: number; whole: number; going: boolean }) {
  const pct = whole === 0 ? (going ? 0 : 100) : Math.round((part / whole) * 100);
  const shown = going ? Math.min(99, pct) : pct;
  return (
    <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={shown} className="mt-1 h-1.5 w-full max-w-48 overflow-hidden rounded-full bg-zinc-200">
      <div className={`h-full rounded-full ${going ? "bg-indigo-600" : "bg-green-600"}`} style={{ width: `${shown}%` }} />
    </div>
  );
}

/**
 * One fleet sync as a whole, live: each entity's reading and its deliveries, and the blocked writes by name.
 * It says done only when every run has ended and each write it queued is delivered, dead or blocked.
 */
export function FleetGroup({ initial }: { initial: TFleetGroupView }) {
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.fleet.group.queryOptions({ groupId: initial.groupId }),
    initialData: initial,
    refetchInterval: (query) => (query.state.data?.state === "done" ? false : 1_000),
  });
  const g = q.data;
  const t = g.totals;
  const summary = [
    `read ${n(t.read)}`,
    `delivered ${n(t.delivered)}`,
    ...(t.waiting ? [`on the way ${n(t.waiting)}`] : []),
    `blocked ${n(t.blocked)}`,
    ...(t.dead ? [`dead ${n(t.dead)}`] : []),
    `failed ${n(t.failed)}`,
  ].join(" · ");

  return (
    <>
      <section aria-label="Fleet sync status" className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm sm:p-6">
        <p className="flex flex-wrap items-center gap-2 text-sm text-zinc-800">
          <span data-testid="group-state" data-state={g.state}><StatusBadge status={g.state} /></span>
          <span aria-live="polite">{STATE_TEXT[g.state]}</span>
        </p>
        <p data-testid="group-summary" className="mt-2 text-lg font-semibold text-zinc-900 tabular-nums">{summary}</p>
        <p className="mt-1 text-xs text-zinc-500">
          Read: documents each run read. Failed: documents that could not be taken in (the run lists each with its reason). Delivered, blocked, dead: the writes the
          runs queued to other systems, each counted once, as it stands now.
        </p>
      </section>

      <section aria-labelledby="group-runs-title" className="mt-6">
        <h2 id="group-runs-title" className="mb-2 text-lg font-semibold text-zinc-900">Reading and delivering, per entity</h2>
        <TableRegion label="Runs of this fleet sync">
          <table className="min-w-full divide-y divide-zinc-200">
            <thead className="bg-zinc-50">
              <tr>
                <th scope="col" className={thClass}>Entity</th>
                <th scope="col" className={thClass}>Reading</th>
                <th scope="col" className={thClass}>Delivering</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {g.runs.map(({ run, deliveries: d }) => {
                const reading = run.status === "queued" || run.status === "running";
                const handled = d.delivered + d.blocked + d.dead + d.cancelled;
                return (
                  <tr key={run.id} data-testid={`group-run-${run.entity}`}>
                    <td className={tdClass}>
                      <Link href={`/runs/${run.id}`} className={linkClass}>{run.entity}</Link>
                    </td>
                    <td className={tdClass}>
                      <StatusBadge status={run.status} /> <span className="tabular-nums">{n(run.counts.fetched)} read</span>
                      {run.counts.failed ? <span className="text-red-700 tabular-nums"> · {n(run.counts.failed)} failed</span> : null}
                      <Bar label={`${run.entity}: reading`} part={reading ? 0 : 1} whole={1} going={reading} />
                    </td>
                    <td className={`${tdClass} tabular-nums`}>
                      {d.queued === 0 ? (
                        <span className="text-zinc-500">{reading ? "nothing queued yet" : "nothing to write"}</span>
                      ) : (
                        <>
                          {n(d.delivered)} of {n(d.queued)} delivered
                          {d.waiting ? <span className="text-zinc-600"> · {n(d.waiting)} on the way</span> : null}
                          {d.blocked ? <span className="text-orange-800"> · {n(d.blocked)} blocked</span> : null}
                          {d.dead ? <span className="text-red-700"> · {n(d.dead)} dead</span> : null}
                          {d.cancelled ? <span className="text-zinc-600"> · {n(d.cancelled)} cancelled</span> : null}
                        </>
                      )}
                      <Bar label={`${run.entity}: delivering`} part={handled} whole={d.queued} going={reading || d.waiting > 0} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableRegion>
      </section>

      <GroupBlocked blocked={g.blocked} total={g.blockedTotal} />
    </>
  );
}
