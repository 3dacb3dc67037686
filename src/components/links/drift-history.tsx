import Link from "next/link";
import type { TDriftCheckView } from "~/server/services/drift/drift-view";
import { hrefWith } from "../console/params";
import { StatusBadge } from "../console/status-badge";
import { DateTime } from "../date-time";
import { linkClass } from "../styles";
import { TableRegion, tdClass, thClass } from "../table-region";

/** Earlier checks of the entity, newest first; the one shown is marked. */
export function DriftHistory({ checks, entity, current }: { checks: TDriftCheckView[]; entity: string; current: string | null }) {
  return (
    <TableRegion label="Earlier drift checks">
      <table className="min-w-full divide-y divide-zinc-200">
        <thead className="bg-zinc-50">
          <tr>
            <th scope="col" className={thClass}>Started</th>
            <th scope="col" className={thClass}>Status</th>
            <th scope="col" className={thClass}>Compared</th>
            <th scope="col" className={thClass}>Differing</th>
            <th scope="col" className={thClass}>By</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {checks.map((c) => (
            <tr key={c.id} className={c.id === current ? "bg-indigo-50/60" : undefined}>
              <td className={tdClass}>
                <Link href={hrefWith("/links/drift", { entity, check: c.id })} aria-current={c.id === current ? "true" : undefined} className={linkClass}>
                  <DateTime value={c.startedAt} />
                </Link>
              </td>
              <td className={tdClass}><StatusBadge status={c.status} /></td>
              <td className={`${tdClass} tabular-nums`}>{c.checked}</td>
              <td className={`${tdClass} tabular-nums`}>{c.drifted}</td>
              <td className={`${tdClass} [overflow-wrap:anywhere]`}>{c.startedBy ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
