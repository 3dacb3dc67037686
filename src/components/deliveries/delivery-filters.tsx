import Link from "next/link";
import type { TDeliveryStatus } from "~/server/services/deliveries/delivery-view";
import { labelClass, linkClass, primaryButtonClass, selectClass } from "../styles";

export const DELIVERY_STATUSES: readonly TDeliveryStatus[] = ["pending", "in_flight", "retrying", "dead", "succeeded", "superseded", "cancelled"];

export interface TDeliveryFilterValues {
  status: string;
  system: string;
  entity: string;
}

function Select({ name, label, value, options }: { name: string; label: string; value: string; options: { value: string; label: string }[] }) {
  return (
    <div>
      <label htmlFor={`deliveries-${name}`} className={labelClass}>{label}</label>
      <select id={`deliveries-${name}`} name={name} defaultValue={value} className={`${selectClass} mt-1 w-full sm:w-44`}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
    </div>
  );
}

/** A plain GET form: the filters live in the URL (the Overview links here with status=dead). */
export function DeliveryFilters({ values, systems, entities }: { values: TDeliveryFilterValues; systems: { key: string; name: string }[]; entities: string[] }) {
  const filtered = Boolean(values.status || values.system || values.entity);
  return (
    <form method="get" action="/deliveries" role="search" aria-label="Filter deliveries" className="mb-4 grid grid-cols-2 gap-3 sm:flex sm:flex-wrap sm:items-end">
      <Select name="status" label="Status" value={values.status} options={DELIVERY_STATUSES.map((s) => ({ value: s, label: s.replace("_", " ") }))} />
      <Select name="system" label="System" value={values.system} options={systems.map((s) => ({ value: s.key, label: s.name }))} />
      <Select name="entity" label="Entity" value={values.entity} options={entities.map((e) => ({ value: e, label: e }))} />
      <div className="col-span-2 flex items-center gap-4">
        <button type="submit" className={primaryButtonClass}>Filter</button>
        {filtered ? <Link href="/deliveries" className={`${linkClass} text-sm`}>Clear filters</Link> : null}
      </div>
    </form>
  );
}
