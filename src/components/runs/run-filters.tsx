import Link from "next/link";
import { inputClass, labelClass, linkClass, primaryButtonClass, selectClass } from "../styles";
import { kindLabel, RUN_KINDS, RUN_STATUSES } from "./run-labels";

export interface TRunFilterValues {
  entity: string;
  system: string;
  kind: string;
  status: string;
  /** Created on or after / on or before these days (YYYY-MM-DD, UTC). */
  from: string;
  to: string;
}

function Select({ name, label, value, options }: { name: string; label: string; value: string; options: { value: string; label: string }[] }) {
  return (
    <div>
      <label htmlFor={`runs-${name}`} className={labelClass}>{label}</label>
      <select id={`runs-${name}`} name={name} defaultValue={value} className={`${selectClass} mt-1 w-full sm:w-40`}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
    </div>
  );
}

/** A plain GET form: the filters live in the URL. `toError` comes from the page's check of the dates. */
export function RunFilters({ values, entities, systems, toError }: { values: TRunFilterValues; entities: string[]; systems: { key: string; name: string }[]; toError?: string }) {
  const filtered = Object.values(values).some(Boolean);
  return (
    <form method="get" action="/runs" role="search" aria-label="Filter runs" className="mb-4 grid grid-cols-2 gap-3 sm:flex sm:flex-wrap sm:items-end">
      <Select name="entity" label="Entity" value={values.entity} options={entities.map((e) => ({ value: e, label: e }))} />
      <Select name="system" label="System" value={values.system} options={systems.map((s) => ({ value: s.key, label: s.name }))} />
      <Select name="kind" label="Kind" value={values.kind} options={RUN_KINDS.map((k) => ({ value: k, label: kindLabel(k) }))} />
      <Select name="status" label="Status" value={values.status} options={RUN_STATUSES.map((s) => ({ value: s, label: s.replace("-", " ") }))} />
      <div>
        <label htmlFor="runs-from" className={labelClass}>From (UTC)</label>
        <input id="runs-from" name="from" type="date" defaultValue={values.from} className={`${inputClass} sm:w-40`} />
      </div>
      <div>
        <label htmlFor="runs-to" className={labelClass}>To (UTC)</label>
        <input id="runs-to" name="to" type="date" defaultValue={values.to} className={`${inputClass} sm:w-40`} {...(toError ? { "aria-invalid": true, "aria-describedby": "runs-to-error" } : {})} />
        {toError ? <p id="runs-to-error" className="mt-1 text-sm text-red-700">{toError}</p> : null}
      </div>
      <div className="col-span-2 flex items-center gap-4">
        <button type="submit" className={primaryButtonClass}>Filter</button>
        {filtered ? <Link href="/runs" className={`${linkClass} text-sm`}>Clear filters</Link> : null}
      </div>
    </form>
  );
}
