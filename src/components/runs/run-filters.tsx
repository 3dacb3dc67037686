import Link from "next/link";
import { labelClass, linkClass, primaryButtonClass, selectClass } from "../styles";
import { kindLabel, RUN_KINDS, RUN_STATUSES } from "./run-labels";

export interface TRunFilterValues {
  entity: string;
  system: string;
  kind: string;
  status: string;
}

function Select({ name, label, value, options }: { name: string; label: string; value: string; options: { value: string; label: string }[] }) {
  return (
    <div>
      <label htmlFor={`runs-${name}`} className={labelClass}>{label}</label>
      <select id={`runs-${name}`} name={name} defaultValue={value} className={`${selectClass} mt-1 w-full sm:w-44`}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
    </div>
  );
}

/** A plain GET form: the filters live in the URL. */
export function RunFilters({ values, entities, systems }: { values: TRunFilterValues; entities: string[]; systems: { key: string; name: string }[] }) {
  const filtered = Object.values(values).some(Boolean);
  return (
    <form method="get" action="/runs" role="search" aria-label="Filter runs" className="mb-4 grid grid-cols-2 gap-3 sm:flex sm:flex-wrap sm:items-end">
      <Select name="entity" label="Entity" value={values.entity} options={entities.map((e) => ({ value: e, label: e }))} />
      <Select name="system" label="System" value={values.system} options={systems.map((s) => ({ value: s.key, label: s.name }))} />
      <Select name="kind" label="Kind" value={values.kind} options={RUN_KINDS.map((k) => ({ value: k, label: kindLabel(k) }))} />
      <Select name="status" label="Status" value={values.status} options={RUN_STATUSES.map((s) => ({ value: s, label: s.replace("-", " ") }))} />
      <div className="col-span-2 flex items-center gap-4">
        <button type="submit" className={primaryButtonClass}>Filter</button>
        {filtered ? <Link href="/runs" className={`${linkClass} text-sm`}>Clear filters</Link> : null}
      </div>
    </form>
  );
}
