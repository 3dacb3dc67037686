import Link from "next/link";
import { inputClass, labelClass, linkClass, primaryButtonClass, selectClass } from "../styles";

export const RECORD_STATES = [
  { value: "", label: "Live records" },
  { value: "all", label: "Live and deleted" },
  { value: "deleted", label: "Deleted only (tombstones)" },
] as const;

export interface TRecordFilterValues {
  entity: string;
  q: string;
  show: string;
}

/** A plain GET form (the search lives in the URL); the entity comes from the tabs above it. */
export function RecordFilters({ values, naturalKey, displayField, entityLabel }: { values: TRecordFilterValues; naturalKey: string; displayField: string; entityLabel: string }) {
  const filtered = Boolean(values.q || values.show);
  return (
    <form method="get" action="/records" role="search" aria-label={`Search ${entityLabel.toLowerCase()} records`} className="mb-4 grid grid-cols-1 gap-3 sm:flex sm:flex-wrap sm:items-end">
      <input type="hidden" name="entity" value={values.entity} />
      <div className="sm:w-72">
        <label htmlFor="records-q" className={labelClass}>Search</label>
        <input
          id="records-q"
          name="q"
          type="search"
          defaultValue={values.q}
          maxLength={200}
          placeholder={`${displayField} or ${naturalKey} starts with…`}
          aria-describedby="records-q-hint"
          className={inputClass}
        />
        <p id="records-q-hint" className="sr-only">Finds records whose {displayField} or {naturalKey} starts with this text, ignoring case.</p>
      </div>
      <div>
        <label htmlFor="records-show" className={labelClass}>Show</label>
        <select id="records-show" name="show" defaultValue={values.show} className={`${selectClass} mt-1 w-full sm:w-56`}>
          {RECORD_STATES.map((s) => (
            <option key={s.value} value={s.value}>{s.label}</option>
          ))}
        </select>
      </div>
      <div className="flex items-center gap-4">
        <button type="submit" className={primaryButtonClass}>Search</button>
        {filtered ? <Link href={`/records?entity=${encodeURIComponent(values.entity)}`} className={`${linkClass} text-sm`}>Clear</Link> : null}
      </div>
    </form>
  );
}
