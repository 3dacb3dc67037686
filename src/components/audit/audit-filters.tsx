import Link from "next/link";
import { inputClass, labelClass, linkClass, primaryButtonClass, selectClass } from "../styles";

/** A plain GET form: the filters live in the URL, so a filtered view can be bookmarked or shared. */
export function AuditFilters({ actor, action, actions }: { actor: string; action: string; actions: string[] }) {
  return (
    <form method="get" action="/audit" role="search" aria-label="Filter the audit log" className="mb-4 flex flex-col gap-3 sm:flex-row sm:items-end">
      <div className="sm:w-64">
        <label htmlFor="audit-actor" className={labelClass}>
          Actor
        </label>
        <input id="audit-actor" name="actor" type="search" defaultValue={actor} placeholder="Email or name contains…" className={inputClass} />
      </div>
      <div>
        <label htmlFor="audit-action" className={labelClass}>
          Action
        </label>
        <select id="audit-action" name="action" defaultValue={action} className={`${selectClass} mt-1 w-full sm:w-56`}>
          <option value="">All actions</option>
          {actions.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </div>
      <div className="flex items-center gap-4">
        <button type="submit" className={primaryButtonClass}>
          Filter
        </button>
        {actor || action ? (
          <Link href="/audit" className={`${linkClass} text-sm`}>
            Clear filters
          </Link>
        ) : null}
      </div>
    </form>
  );
}
