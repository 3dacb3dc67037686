import Link from "next/link";
import { hrefWith } from "../console/params";
import { inputClass, labelClass, linkClass, secondaryButtonClass } from "../styles";

/** A plain GET form that finds a linked record by name, key or the system's id; the system and entity stay. */
export function LinkedSearch({ system, entity, q }: { system: string; entity: string; q: string }) {
  return (
    <form method="get" action="/links" role="search" aria-label="Find a linked record" className="flex flex-wrap items-end gap-3">
      <input type="hidden" name="system" value={system} />
      <input type="hidden" name="entity" value={entity} />
      <div className="min-w-[14rem] flex-1 sm:flex-none">
        <label htmlFor="linked-q" className={labelClass}>Name, key or id</label>
        <input id="linked-q" name="q" type="search" defaultValue={q} autoComplete="off" className={inputClass} />
      </div>
      <button type="submit" className={secondaryButtonClass}>Filter</button>
      {q ? <Link href={hrefWith("/links", { system, entity })} className={`${linkClass} text-sm`}>Clear</Link> : null}
    </form>
  );
}
