import type { ReactNode } from "react";

/** A table that scrolls sideways on narrow screens; focusable so keyboard users can scroll it too. */
export function TableRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className="relative overflow-x-auto rounded-lg border border-zinc-200 bg-white shadow-sm">
      {children}
    </div>
  );
}

/** A table's head row: one column header per name. */
export function TableHead({ columns }: { columns: string[] }) {
  return (
    <thead className="bg-zinc-50">
      <tr>
        {columns.map((c) => (
          <th key={c} scope="col" className={thClass}>{c}</th>
        ))}
      </tr>
    </thead>
  );
}

export const thClass = "px-4 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-zinc-500";
export const tdClass = "px-4 py-3 align-top text-sm text-zinc-800";
