import Link from "next/link";
import type { TRunView } from "~/server/services/runs/run-view";
import { formatDuration } from "../console/format";
import { StatusBadge } from "../console/status-badge";
import { DateTime } from "../date-time";
import { TableRegion, tdClass, thClass } from "../table-region";
import { countsSummary, kindLabel, runDurationMs } from "./run-labels";

/** Run history; each row opens the run. `systemNames` turns keys into the names people know; `compact` leaves out who started it. */
export function RunsTable({ runs, systemNames, label = "Sync runs", compact = false }: { runs: TRunView[]; systemNames: Record<string, string>; label?: string; compact?: boolean }) {
  return (
    <TableRegion label={label}>
      <table className="min-w-full divide-y divide-zinc-200">
        <thead className="bg-zinc-50">
          <tr>
            <th scope="col" className={thClass}>Started</th>
            <th scope="col" className={thClass}>What</th>
            <th scope="col" className={thClass}>Status</th>
            <th scope="col" className={thClass}>Counts</th>
            {compact ? null : <th scope="col" className={thClass}>By</th>}
            <th scope="col" className={thClass}>Took</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {runs.map((r) => {
            const took = runDurationMs(r);
            return (
              <tr key={r.id} data-run={r.id}>
                <td className={tdClass}>
                  <Link href={`/runs/${r.id}`} className="font-medium text-indigo-700 underline-offset-4 hover:underline">
                    <DateTime value={r.createdAt} />
                  </Link>
                </td>
                <td className={`${tdClass} min-w-[11rem]`}>
                  <span className="font-medium">{kindLabel(r.kind)}</span> of {r.entity}
                  <span className="block text-xs text-zinc-500">from {systemNames[r.system] ?? r.system}</span>
                  {typeof r.options?.appliesPlanOf === "string" ? <span className="block text-xs text-zinc-500">applies a dry run&apos;s plan</span> : null}
                </td>
                <td className={tdClass}>
                  <StatusBadge status={r.status} />
                  {r.phase ? <span className="block text-xs text-zinc-500">{r.phase}</span> : null}
                </td>
                <td className={`${tdClass} min-w-[12rem] text-zinc-700`}>{countsSummary(r.counts) ?? <span className="text-zinc-400">—</span>}</td>
                {compact ? null : (
                  <td className={`${tdClass} text-zinc-700`}>
                    <span className="[overflow-wrap:anywhere]">{r.startedBy ?? r.trigger}</span>
                    {r.startedBy && r.startedBy !== r.trigger ? <span className="block text-xs text-zinc-500">{r.trigger}</span> : null}
                  </td>
                )}
                <td className={`${tdClass} whitespace-nowrap text-zinc-700`}>{took === null ? "—" : formatDuration(took)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableRegion>
  );
}
