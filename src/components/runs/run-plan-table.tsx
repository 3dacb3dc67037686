import type { TPlanEntry } from "~/server/services/runs/plan-page";
import { formatValue } from "../console/format";
import { TableRegion, tdClass, thClass } from "../table-region";

const ACTION_TONE: Record<string, string> = {
  create: "text-green-800",
  update: "text-blue-800",
  link: "text-indigo-800",
  delete: "text-red-800",
  conflict: "text-amber-900",
};

/** Per record: what a full sync would do and, per field, the value before → after. */
export function RunPlanTable({ entries, systemNames }: { entries: TPlanEntry[]; systemNames: Record<string, string> }) {
  return (
    <TableRegion label="Planned changes">
      <table className="min-w-full divide-y divide-zinc-200">
        <thead className="bg-zinc-50">
          <tr>
            <th scope="col" className={thClass}>Record</th>
            <th scope="col" className={thClass}>Action</th>
            <th scope="col" className={thClass}>Fields (before → after)</th>
            <th scope="col" className={thClass}>Then sent to</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {entries.map((e, i) => {
            const fields = Object.entries(e.fields);
            return (
              <tr key={`${e.externalId}-${i}`}>
                <th scope="row" className={`${tdClass} min-w-[10rem] text-left font-medium [overflow-wrap:anywhere]`}>
                  {e.label}
                  <span className="block font-mono text-xs font-normal text-zinc-500">id {e.externalId}</span>
                </th>
                <td className={`${tdClass} font-semibold ${ACTION_TONE[e.action] ?? ""}`}>{e.action}</td>
                <td className={`${tdClass} min-w-[16rem]`}>
                  {fields.length ? (
                    <dl className="space-y-1">
                      {fields.map(([field, { before, after }]) => (
                        <div key={field} className="[overflow-wrap:anywhere]">
                          <dt className="inline font-mono text-xs text-zinc-500">{field}: </dt>
                          <dd className="inline">
                            <span className="text-zinc-500 line-through decoration-zinc-300">{formatValue(before)}</span>
                            <span aria-label="becomes"> → </span>
                            <span className="font-medium">{formatValue(after)}</span>
                          </dd>
                        </div>
                      ))}
                    </dl>
                  ) : (
                    <span className="text-zinc-500">{e.action === "delete" ? "The record is gone from the system." : "No field changes."}</span>
                  )}
                </td>
                <td className={`${tdClass} text-zinc-700`}>{e.targets.length ? e.targets.map((t) => systemNames[t] ?? t).join(", ") : "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableRegion>
  );
}
