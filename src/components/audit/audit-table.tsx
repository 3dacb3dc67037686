import Link from "next/link";
import type { TAuditPage } from "~/server/services/list-audit";
import { DateTime } from "../date-time";
import { JsonDetails } from "../json-details";
import { linkClass } from "../styles";
import { TableRegion, tdClass, thClass } from "../table-region";

export function AuditTable({ items }: { items: TAuditPage["items"] }) {
  return (
    <TableRegion label="Audit entries">
      <table className="min-w-full divide-y divide-zinc-200">
        <thead className="bg-zinc-50">
          <tr>
            <th scope="col" className={thClass}>Time</th>
            <th scope="col" className={thClass}>Actor</th>
            <th scope="col" className={thClass}>Action</th>
            <th scope="col" className={thClass}>Target</th>
            <th scope="col" className={thClass}>Change</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {items.map((entry) => (
            <tr key={entry.id}>
              <td className={`${tdClass} text-zinc-600`}>
                <DateTime value={entry.at} />
              </td>
              <td className={`${tdClass} min-w-[10rem]`}>
                <span className="[overflow-wrap:anywhere]">{entry.actorLabel}</span>
                {entry.actorKind !== "user" ? <span className="ml-1 text-xs text-zinc-500">({entry.actorKind})</span> : null}
              </td>
              <td className={tdClass}>
                <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs whitespace-nowrap">{entry.action}</code>
              </td>
              <td className={`${tdClass} min-w-[14rem] [overflow-wrap:anywhere]`}>{entry.targetLabel && entry.targetHref ? (
                  <>
                    <Link href={entry.targetHref} className={linkClass}>{entry.targetLabel}</Link>
                    <span className="block font-mono text-xs text-zinc-500">{entry.target}</span>
                  </>
                ) : (
                  entry.target ?? <span className="text-zinc-400">—</span>
                )}</td>
              <td className={tdClass}>
                <JsonDetails before={entry.before} after={entry.after} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
