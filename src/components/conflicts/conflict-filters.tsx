import Link from "next/link";
import { labelClass, linkClass, primaryButtonClass, selectClass } from "../styles";

export interface TConflictFilterValues {
  status: "open" | "resolved";
  entity: string;
  system: string;
}

function Select({ name, label, value, options }: { name: string; label: string; value: string; options: { value: string; label: string }[] }) {
  return (
    <div>
      <label htmlFor={`conflicts-${name}`} className={labelClass}>{label}</label>
      <select id={`conflicts-${name}`} name={name} defaultValue={value} className={`${selectClass} mt-1 w-full sm:w-48`}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
    </div>
  );
}

/** A plain GET form: the filters live in the URL, beside the status tab. */
export function ConflictFilters({ values, systems, entities }: { values: TConflictFilterValues; systems: { key: string; name: string }[]; entities: string[] }) {
  const filtered = Boolean(values.entity || values.system);
  return (
    <form method="get" action="/conflicts" role="search" aria-label="Filter conflicts" className="mb-4 grid grid-cols-2 gap-3 sm:flex sm:flex-wrap sm:items-end">
      {values.status === "resolved" ? <input type="hidden" name="status" value="resolved" /> : null}
      <Select name="entity" label="Entity" value={values.entity} options={entities.map((e) => ({ value: e, label: e }))} />
      <Select name="system" label="System (either side)" value={values.system} options={systems.map((s) => ({ value: s.key, label: s.name }))} />
      <div className="col-span-2 flex items-center gap-4">
        <button type="submit" className={primaryButtonClass}>Filter</button>
        {filtered ? <Link href={values.status === "resolved" ? "/conflicts?status=resolved" : "/conflicts"} className={`${linkClass} text-sm`}>Clear filters</Link> : null}
      </div>
    </form>
  );
}
