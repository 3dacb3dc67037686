import { labelClass, primaryButtonClass, selectClass } from "../styles";

/** A plain GET form: which system's differences to list; the entity, check and status tab stay. */
export function DriftFilters({ values, systems }: { values: { entity: string; check: string; status: string; system: string }; systems: { key: string; name: string }[] }) {
  return (
    <form method="get" action="/links/drift" role="search" aria-label="Filter drift" className="mb-4 flex flex-wrap items-end gap-3">
      <input type="hidden" name="entity" value={values.entity} />
      {values.check ? <input type="hidden" name="check" value={values.check} /> : null}
      {values.status !== "open" ? <input type="hidden" name="status" value={values.status} /> : null}
      <div>
        <label htmlFor="drift-system" className={labelClass}>System</label>
        <select id="drift-system" name="system" defaultValue={values.system} className={`${selectClass} mt-1 w-full sm:w-48`}>
          <option value="">All</option>
          {systems.map((s) => <option key={s.key} value={s.key}>{s.name}</option>)}
        </select>
      </div>
      <button type="submit" className={primaryButtonClass}>Filter</button>
    </form>
  );
}
