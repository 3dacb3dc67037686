import Link from "next/link";
import { linkClass } from "../styles";

/** On a run's page: the creates it held as possible duplicates, per target system, with where to decide them. */
export function HeldForReview({ held, entity, systemNames }: { held: { system: string; open: number; total: number }[]; entity: string; systemNames: Record<string, string> }) {
  if (!held.length) return null;
  return (
    <section aria-labelledby="held-review-title" className="mt-6 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <h2 id="held-review-title" className="font-semibold">Possible duplicates held for review</h2>
      <ul className="mt-1 space-y-1">
        {held.map((h) => (
          <li key={h.system}>
            {h.total} {h.total === 1 ? "record resembles" : "records resemble"} an unlinked {entity} already in {systemNames[h.system] ?? h.system}, so {h.total === 1 ? "it was" : "they were"} not created there
            {h.open ? <> — {h.open} still to decide: <Link href={`/links?system=${encodeURIComponent(h.system)}&entity=${encodeURIComponent(entity)}`} className={linkClass}>link, create anyway or skip</Link></> : " — all decided"}.
          </li>
        ))}
      </ul>
    </section>
  );
}
