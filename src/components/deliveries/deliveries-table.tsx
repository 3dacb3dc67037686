import Link from "next/link";
import type { TDeliveryView } from "~/server/services/deliveries/delivery-view";
import { shortId } from "../console/format";
import { StatusBadge } from "../console/status-badge";
import { DateTime } from "../date-time";
import { TableRegion, tdClass, thClass } from "../table-region";

/** When the delivery finished, or when it will next be tried. */
function When({ d }: { d: TDeliveryView }) {
  if (d.finishedAt) return <DateTime value={d.finishedAt} />;
  if (d.status === "pending" || d.status === "retrying") {
    return (
      <>
        <span className="block text-xs text-zinc-500">next try</span>
        <DateTime value={d.nextAttemptAt} />
      </>
    );
  }
  return <span className="text-zinc-400">—</span>;
}

export function DeliveriesTable({ items, systemNames }: { items: TDeliveryView[]; systemNames: Record<string, string> }) {
  return (
    <TableRegion label="Deliveries">
      <table className="min-w-full divide-y divide-zinc-200">
        <thead className="bg-zinc-50">
          <tr>
            <th scope="col" className={thClass}>Delivery</th>
            <th scope="col" className={thClass}>To</th>
            <th scope="col" className={thClass}>Status</th>
            <th scope="col" className={thClass}>Attempts</th>
            <th scope="col" className={thClass}>Last error</th>
            <th scope="col" className={thClass}>Finished / next</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {items.map((d) => (
            <tr key={d.id} data-delivery={d.id}>
              <td className={tdClass}>
                <Link href={`/deliveries/${d.id}`} className="font-medium text-indigo-700 underline-offset-4 hover:underline">#{d.id}</Link>
                <span className="block text-xs whitespace-nowrap text-zinc-500">
                  {d.entity} <span className="font-mono">{shortId(d.recordId)}</span>
                </span>
              </td>
              <td className={`${tdClass} min-w-[9rem]`}>
                {systemNames[d.system] ?? d.system}
                <span className="block text-xs text-zinc-500">
                  {d.action ? `${d.action}${d.fields.length ? ": " : ""}` : ""}
                  {d.fields.join(", ")}
                </span>
              </td>
              <td className={tdClass}>
                <StatusBadge status={d.status} />
                {d.waitingFor ? <span className="block text-xs text-zinc-500">waiting for {d.waitingFor}</span> : null}
              </td>
              <td className={`${tdClass} tabular-nums`}>
                {d.attempts}
                {d.attemptCount !== d.attempts ? <span className="block text-xs text-zinc-500">{d.attemptCount} requests</span> : null}
              </td>
              <td className={`${tdClass} max-w-xs min-w-[12rem] text-zinc-700`}>
                {d.lastError ? <span className="line-clamp-2 [overflow-wrap:anywhere]" title={d.lastError}>{d.lastError}</span> : <span className="text-zinc-400">—</span>}
              </td>
              <td className={`${tdClass} text-zinc-600`}><When d={d} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
