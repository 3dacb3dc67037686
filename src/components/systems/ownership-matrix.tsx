import type { TOwnershipCell, TOwnershipMatrix } from "~/server/services/systems/field-ownership";
import { TableRegion, tdClass, thClass } from "../table-region";

const ROLE: Record<TOwnershipCell["role"], { label: string; tone: string }> = {
  owner: { label: "Owner", tone: "bg-indigo-100 text-indigo-900" },
  both: { label: "Two-way", tone: "bg-green-100 text-green-800" },
  receive: { label: "Receives", tone: "bg-sky-100 text-sky-900" },
  local: { label: "Local", tone: "bg-zinc-100 text-zinc-700" },
  id: { label: "Keeps id", tone: "bg-amber-100 text-amber-900" },
  none: { label: "—", tone: "text-zinc-400" },
};

const POLICY: Record<string, string> = {
  lww: "the latest change wins (by the time the system says it changed)",
  priority: "the system first in priority wins",
  manual: "an admin decides on the Conflicts page",
};

function Cell({ cell }: { cell: TOwnershipCell }) {
  const role = ROLE[cell.role];
  if (cell.role === "none") return <span className="text-zinc-400">—</span>;
  return (
    <>
      <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ${role.tone}`}>{role.label}</span>
      <span className="mt-1 block [overflow-wrap:anywhere]">
        {cell.field ? <code className="font-mono text-xs text-zinc-800">{cell.field}</code> : <span className="text-xs text-zinc-500">not mapped: never leaves it</span>}
      </span>
      {cell.transform || cell.valueMap ? (
        <span className="block text-xs text-zinc-500">{[cell.transform, cell.valueMap ? `${cell.valueMap} table` : null].filter(Boolean).join(", ")}</span>
      ) : null}
    </>
  );
}

/** One entity's field × system matrix: who owns each field, which systems receive it, which keep it local. */
export function OwnershipMatrix({ matrix: m, systemNames, highlight }: { matrix: TOwnershipMatrix; systemNames: Record<string, string>; highlight?: string }) {
  const titleId = `ownership-${m.entity}-title`;
  const priority = m.conflictPolicy === "priority" && m.priority.length ? ` (${m.priority.map((s) => systemNames[s] ?? s).join(" > ")})` : "";
  return (
    <section aria-labelledby={titleId} data-ownership={m.entity} className="space-y-2">
      <h3 id={titleId} className="text-base font-semibold text-zinc-900">{m.entityLabel}</h3>
      <p className="text-sm text-zinc-600">
        When two systems change the same two-way field: {POLICY[m.conflictPolicy] ?? m.conflictPolicy}
        {priority}.
      </p>
      <TableRegion label={`Field ownership of ${m.entityLabel.toLowerCase()}`}>
        <table className="min-w-full divide-y divide-zinc-200">
          <thead className="bg-zinc-50">
            <tr>
              <th scope="col" className={thClass}>Field</th>
              {m.systems.map((s) => (
                <th key={s.key} scope="col" className={`${thClass} ${s.key === highlight ? "bg-indigo-50" : ""}`}>
                  {s.name}
                  <span className="block font-mono text-[11px] font-normal tracking-normal normal-case">{s.resource}</span>
                  {s.key === highlight ? <span className="block font-normal normal-case">(this system)</span> : null}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {m.rows.map((r) => (
              <tr key={r.key} data-field={r.key}>
                <th scope="row" className={`${tdClass} text-left font-medium`}>
                  {r.key.startsWith("id:") ? <span className="text-xs">{r.label}</span> : <span className="font-mono text-xs">{r.key}</span>}
                  {r.naturalKey ? <span className="block text-xs font-normal text-zinc-500">natural key</span> : null}
                  {r.references ? <span className="block text-xs font-normal text-zinc-500">→ {r.references}</span> : null}
                </th>
                {m.systems.map((s) => (
                  <td key={s.key} data-system={s.key} data-role={r.cells[s.key]?.role} className={`${tdClass} min-w-[8rem] ${s.key === highlight ? "bg-indigo-50/50" : ""}`}>
                    {r.cells[s.key] ? <Cell cell={r.cells[s.key]!} /> : null}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
    </section>
  );
}

/** What each word in the matrix means. */
export function OwnershipLegend() {
  const items: [string, string][] = [
    ["Owner", "the source of truth: its changes go out, and a change made anywhere else is put back or flagged."],
    ["Two-way", "a common field: a change on either side is synced to the other systems."],
    ["Receives", "fed by Concord only; a change made there is a foreign write (put back or flagged)."],
    ["Local", "not in this system's binding: the field stays in the system and never leaves it."],
    ["Keeps id", "where this system keeps another system's id; Concord writes it."],
  ];
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-1 text-sm text-zinc-700 sm:grid-cols-2">
      {items.map(([term, text]) => (
        <div key={term}>
          <dt className="inline font-semibold">{term}: </dt>
          <dd className="inline">{text}</dd>
        </div>
      ))}
    </dl>
  );
}
