import Link from "next/link";
import type { TDriftRecordView } from "~/server/services/drift/drift-view";
import { formatValue } from "../console/format";
import { StatusBadge } from "../console/status-badge";
import { linkClass } from "../styles";
import { TableRegion, tdClass, thClass } from "../table-region";
import { AgreeRecordButton, SelectDriftRecord } from "./make-agree";

/** Drifted records, field by field: Concord's value beside the system's. */
export function DriftTable({ records, systemNames, canFix }: { records: TDriftRecordView[]; systemNames: Record<string, string>; canFix: boolean }) {
  return (
    <TableRegion label="Drifted records">
      <table className="min-w-full divide-y divide-zinc-200">
        <thead className="bg-zinc-50">
          <tr>
            <th scope="col" className={thClass}>Record</th>
            <th scope="col" className={thClass}>System</th>
            <th scope="col" className={thClass}>Field</th>
            <th scope="col" className={thClass}>Concord</th>
            <th scope="col" className={thClass}>In the system</th>
            <th scope="col" className={thClass}>Status</th>
          </tr>
        </thead>
        {records.map((r) => {
          const label = r.name ?? r.naturalKey ?? r.recordId.slice(0, 8);
          const open = r.items.some((i) => i.status === "open");
          return (
            <tbody key={r.recordId} data-drift-record={r.recordId} className="border-t-2 border-zinc-200">
              {r.items.map((i, n) => (
                <tr key={i.id}>
                  {n === 0 ? (
                    <th scope="rowgroup" rowSpan={r.items.length} className={`${tdClass} min-w-[11rem] text-left font-medium [overflow-wrap:anywhere]`}>
                      <div className="flex items-start gap-2">
                        {canFix && open && !r.deleted ? <SelectDriftRecord recordId={r.recordId} label={label} /> : null}
                        <div>
                          {r.deleted ? label : <Link href={`/records/${r.recordId}`} className={linkClass}>{label}</Link>}
                          {r.naturalKey ? <span className="block font-mono text-xs font-normal text-zinc-500">{r.naturalKey}</span> : null}
                          {r.deleted ? <span className="block text-xs font-normal text-zinc-500">deleted since</span> : null}
                        </div>
                      </div>
                      {canFix && open && !r.deleted ? <div className="mt-2"><AgreeRecordButton recordId={r.recordId} label={label} /></div> : null}
                    </th>
                  ) : null}
                  <td className={`${tdClass} text-xs`}>
                    {systemNames[i.system] ?? i.system}
                    <span className="block font-mono text-zinc-500 [overflow-wrap:anywhere]">{i.externalId}</span>
                  </td>
                  <td className={`${tdClass} font-mono text-xs`}>{i.field}</td>
                  <td className={`${tdClass} [overflow-wrap:anywhere]`}>{formatValue(i.concordValue)}</td>
                  <td className={`${tdClass} [overflow-wrap:anywhere]`}>{formatValue(i.systemValue)}</td>
                  <td className={tdClass}>
                    <StatusBadge status={i.status} />
                    {i.deliveryWaiting ? <span className="mt-1 block text-xs text-zinc-600">a write is on its way</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          );
        })}
      </table>
    </TableRegion>
  );
}
