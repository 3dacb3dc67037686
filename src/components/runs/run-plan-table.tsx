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

export interface TPlanSelection {
  selected: ReadonlySet<string>;
  toggle: (externalId: string) => void;
  /** Check every row shown that is not applied yet, or none when they all are. */
  toggleAll: () => void;
}

const box = "h-4 w-4 rounded border-zinc-300 text-indigo-700 focus:ring-2 focus:ring-indigo-600/30";

/**
 * Per record: what a full sync would do and, per field, the value before → after. `applied` marks the rows a
 * later run applied; with `selection` (admins) each row not yet applied has a checkbox.
 */
export function RunPlanTable({ entries, systemNames, applied, selection }: { entries: TPlanEntry[]; systemNames: Record<string, string>; applied?: ReadonlySet<string>; selection?: TPlanSelection }) {
  const open = entries.filter((e) => !applied?.has(e.externalId));
  const allChecked = open.length > 0 && open.every((e) => selection?.selected.has(e.externalId));
  return (
    <TableRegion label="Planned changes">
      <table className="min-w-full divide-y divide-zinc-200">
        <thead className="bg-zinc-50">
          <tr>
            {selection ? (
              <th scope="col" className={`${thClass} w-10`}>
                <input type="checkbox" className={box} checked={allChecked} disabled={open.length === 0} onChange={selection.toggleAll} aria-label="Select every record on this page of the plan" />
              </th>
            ) : null}
            <th scope="col" className={thClass}>Record</th>
            <th scope="col" className={thClass}>Action</th>
            <th scope="col" className={thClass}>Fields (before → after)</th>
            <th scope="col" className={thClass}>Then sent to</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {entries.map((e, i) => {
            const fields = Object.entries(e.fields);
            const done = applied?.has(e.externalId) ?? false;
            return (
              <tr key={`${e.externalId}-${i}`} data-plan={e.externalId} className={selection?.selected.has(e.externalId) ? "bg-indigo-50/60" : undefined}>
                {selection ? (
                  <td className={tdClass}>
                    {done ? null : (
                      <input type="checkbox" className={box} checked={selection.selected.has(e.externalId)} onChange={() => selection.toggle(e.externalId)} aria-label={`Select ${e.label} (id ${e.externalId})`} />
                    )}
                  </td>
                ) : null}
                <th scope="row" className={`${tdClass} min-w-[10rem] text-left font-medium [overflow-wrap:anywhere]`}>
                  {e.label}
                  <span className="block font-mono text-xs font-normal text-zinc-500">id {e.externalId}</span>
                  {done ? <span className="mt-1 inline-flex rounded-full bg-green-100 px-2 py-0.5 text-xs font-medium text-green-800">applied</span> : null}
                </th>
                <td className={`${tdClass} font-semibold ${ACTION_TONE[e.action] ?? ""}`}>{e.action}</td>
                <td className={`${tdClass} min-w-[16rem]`}>
                  {fields.length ? (
                    <dl className="space-y-1">
                      {fields.map(([field, { before, after }]) => (
                        <div key={field} data-field={field} className="[overflow-wrap:anywhere]">
                          <dt className="inline font-mono text-xs text-zinc-500">{field}: </dt>
                          <dd className="inline">
                            <span className="text-zinc-500 line-through decoration-zinc-300" data-testid="before">{formatValue(before)}</span>
                            <span aria-label="becomes"> → </span>
                            <span className="font-medium" data-testid="after">{formatValue(after)}</span>
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
