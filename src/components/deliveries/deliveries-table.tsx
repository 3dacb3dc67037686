import { requestsText } from "../console/format";
import Link from "next/link";
import type { TDeliveryView } from "~/server/services/deliveries/delivery-view";
import { shortId } from "../console/format";
import { StatusBadge } from "../console/status-badge";
import { DateTime } from "../date-time";
import { TableRegion, tdClass, thClass } from "../table-region";
import { WaitingNote } from "./waiting-note";

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

/** Only a dead or retrying delivery can be replayed. */
export const isReplayable = (d: Pick<TDeliveryView, "status">) => d.status === "dead" || d.status === "retrying";

export interface TDeliverySelection {
  selected: ReadonlySet<number>;
  toggle: (id: number) => void;
  /** Select every replayable row shown, or none when they all are. */
  toggleAll: () => void;
}

const box = "h-4 w-4 rounded border-zinc-300 text-indigo-700 focus:ring-2 focus:ring-indigo-600/30 disabled:opacity-40";

/** Deliveries, newest first; with `selection` (admins) a checkbox on each row that can be replayed. */
export function DeliveriesTable({ items, systemNames, selection }: { items: TDeliveryView[]; systemNames: Record<string, string>; selection?: TDeliverySelection }) {
  const replayable = items.filter(isReplayable);
  const allChecked = replayable.length > 0 && replayable.every((d) => selection?.selected.has(d.id));
  return (
    <TableRegion label="Deliveries">
      <table className="min-w-full divide-y divide-zinc-200">
        <thead className="bg-zinc-50">
          <tr>
            {selection ? (
              <th scope="col" className={`${thClass} w-10`}>
                <input type="checkbox" className={box} checked={allChecked} disabled={replayable.length === 0} onChange={selection.toggleAll} aria-label="Select every dead or retrying delivery on this page" />
              </th>
            ) : null}
            <th scope="col" className={thClass}>Delivery</th>
            <th scope="col" className={thClass}>To</th>
            <th scope="col" className={thClass}>Status</th>
            <th scope="col" className={thClass}>Requests</th>
            <th scope="col" className={thClass}>Last error</th>
            <th scope="col" className={thClass}>Finished / next</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {items.map((d) => (
            <tr key={d.id} data-delivery={d.id} data-status={d.status} className={selection?.selected.has(d.id) ? "bg-indigo-50/60" : undefined}>
              {selection ? (
                <td className={tdClass}>
                  {isReplayable(d) ? (
                    <input type="checkbox" className={box} checked={selection.selected.has(d.id)} onChange={() => selection.toggle(d.id)} aria-label={`Select delivery #${d.id}`} />
                  ) : null}
                </td>
              ) : null}
              <td className={tdClass}>
                <Link href={`/deliveries/${d.id}`} className="font-medium text-indigo-700 underline-offset-4 hover:underline">#{d.id}</Link>
                <span className="block text-xs text-zinc-500">
                  {d.entity}{" "}
                  <Link href={`/deliveries?record=${d.recordId}`} className="underline-offset-2 hover:underline [overflow-wrap:anywhere]" title={`Every delivery of record ${d.recordId}`}>
                    {d.recordKey ? <span data-testid="record-key">{d.recordKey}</span> : <span className="font-mono">{shortId(d.recordId)}</span>}
                  </Link>
                </span>
                <span className="block text-xs whitespace-nowrap text-zinc-500"><DateTime value={d.createdAt} /></span>
              </td>
              <td className={`${tdClass} min-w-[9rem]`}>
                {systemNames[d.system] ?? d.system}
                <span className="block text-xs text-zinc-500">
                  {d.action ? `${d.action}${d.fields.length ? ": " : ""}` : ""}
                  {d.fields.join(", ")}
                </span>
              </td>
              <td className={tdClass}>
                <StatusBadge status={d.blocked ? "blocked" : d.status} />
                <WaitingNote d={d} />
              </td>
              <td className={`${tdClass} tabular-nums`}>
                {requestsText(d.attemptCount, d.attempts)}
              </td>
              <td className={`${tdClass} max-w-xs min-w-[12rem] text-zinc-700`}>
                {d.lastError ? <span className="whitespace-pre-wrap [overflow-wrap:anywhere]">{d.lastError}</span> : <span className="text-zinc-400">—</span>}
              </td>
              <td className={`${tdClass} text-zinc-600`}><When d={d} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
