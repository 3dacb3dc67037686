import type { z } from "zod";
import type { ZRunItem } from "~/server/services/runs/get-run";
import { DateTime } from "../date-time";
import { TableRegion, tdClass, thClass } from "../table-region";

type TRunItem = z.infer<typeof ZRunItem>;

const OUTCOME_TONE: Record<string, string> = { failed: "text-red-800", conflict: "text-amber-900", foreign: "text-amber-900", created: "text-green-800", applied: "text-blue-800" };

/** One line per item the run handled: its outcome and, when it failed, why. */
export function RunItemsTable({ items }: { items: TRunItem[] }) {
  return (
    <TableRegion label="Per-item outcomes">
      <table className="min-w-full divide-y divide-zinc-200">
        <thead className="bg-zinc-50">
          <tr>
            <th scope="col" className={thClass}>Item</th>
            <th scope="col" className={thClass}>Outcome</th>
            <th scope="col" className={thClass}>Error</th>
            <th scope="col" className={thClass}>At</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {items.map((i) => (
            <tr key={i.id}>
              <th scope="row" className={`${tdClass} min-w-[10rem] text-left font-medium [overflow-wrap:anywhere]`}>
                {i.label ?? i.externalId ?? "—"}
                {i.externalId && i.label !== i.externalId ? <span className="block font-mono text-xs font-normal text-zinc-500">id {i.externalId}</span> : null}
              </th>
              <td className={`${tdClass} font-medium ${OUTCOME_TONE[i.outcome] ?? ""}`}>{i.outcome}</td>
              <td className={`${tdClass} min-w-[14rem] [overflow-wrap:anywhere] text-zinc-700`}>{i.error ?? <span className="text-zinc-400">—</span>}</td>
              <td className={`${tdClass} text-zinc-600`}><DateTime value={i.at} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
