import Link from "next/link";
import type { TDeliveryStatus } from "~/server/services/deliveries/delivery-view";
import { inputClass, labelClass, linkClass, primaryButtonClass, selectClass } from "../styles";

export const DELIVERY_STATUSES: readonly TDeliveryStatus[] = ["pending", "in_flight", "retrying", "dead", "succeeded", "superseded", "cancelled"];

export interface TDeliveryFilterValues {
  status: string;
  system: string;
  entity: string;
  /** A Concord record id. */
  record: string;
  /** Queued on or after / on or before these days (YYYY-MM-DD, UTC). */
  from: string;
  to: string;
}

function Select({ name, label, value, options }: { name: string; label: string; value: string; options: { value: string; label: string }[] }) {
  return (
    <div>
      <label htmlFor={`deliveries-${name}`} className={labelClass}>{label}</label>
      <select id={`deliveries-${name}`} name={name} defaultValue={value} className={`${selectClass} mt-1 w-full sm:w-40`}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
    </div>
  );
}

/** A plain GET form: the filters live in the URL (the Overview links here with status=dead). `errors` come from the page's checks. */
export function DeliveryFilters({ values, systems, entities, errors = {} }: { values: TDeliveryFilterValues; systems: { key: string; name: string }[]; entities: string[]; errors?: Partial<Record<"record" | "to", string>> }) {
  const filtered = Object.values(values).some(Boolean);
  const described = (f: "record" | "to") => (errors[f] ? { "aria-invalid": true, "aria-describedby": `deliveries-${f}-error` } : {});
  return (
    <form method="get" action="/deliveries" role="search" aria-label="Filter deliveries" className="mb-4 grid grid-cols-2 gap-3 sm:flex sm:flex-wrap sm:items-end">
      <Select name="status" label="Status" value={values.status} options={DELIVERY_STATUSES.map((s) => ({ value: s, label: s.replace("_", " ") }))} />
      <Select name="system" label="System" value={values.system} options={systems.map((s) => ({ value: s.key, label: s.name }))} />
      <Select name="entity" label="Entity" value={values.entity} options={entities.map((e) => ({ value: e, label: e }))} />
      <div className="col-span-2 sm:col-span-1">
        <label htmlFor="deliveries-record" className={labelClass}>Record id</label>
        <input id="deliveries-record" name="record" type="text" defaultValue={values.record} spellCheck={false} autoComplete="off" placeholder="a record's id" className={`${inputClass} font-mono sm:w-72`} {...described("record")} />
        {errors.record ? <p id="deliveries-record-error" className="mt-1 text-sm text-red-700">{errors.record}</p> : null}
      </div>
      <div>
        <label htmlFor="deliveries-from" className={labelClass}>Queued from (UTC)</label>
        <input id="deliveries-from" name="from" type="date" defaultValue={values.from} className={`${inputClass} sm:w-40`} />
      </div>
      <div>
        <label htmlFor="deliveries-to" className={labelClass}>Queued to (UTC)</label>
        <input id="deliveries-to" name="to" type="date" defaultValue={values.to} className={`${inputClass} sm:w-40`} {...described("to")} />
        {errors.to ? <p id="deliveries-to-error" className="mt-1 text-sm text-red-700">{errors.to}</p> : null}
      </div>
      <div className="col-span-2 flex items-center gap-4">
        <button type="submit" className={primaryButtonClass}>Filter</button>
        {filtered ? <Link href="/deliveries" className={`${linkClass} text-sm`}>Clear filters</Link> : null}
      </div>
    </form>
  );
}
