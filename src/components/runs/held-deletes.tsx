import type { TParsedPlan } from "./run-plan";

/** The deletes a run holds for an admin's approval (the mass-delete guard). */
export function HeldDeletes({ held, systemName }: { held: NonNullable<TParsedPlan["held"]>; systemName: string }) {
  return (
    <section aria-labelledby="held-title" className="mt-8">
      <h2 id="held-title" className="text-lg font-semibold text-zinc-900">Deletes held for approval</h2>
      <p className="mt-1 text-sm text-zinc-600">
        {held.count} of {held.linked} linked records are no longer in {systemName}. Approving deletes them in Concord and every other system; rejecting deletes nothing.
      </p>
      <ul className="mt-2 flex flex-wrap gap-1.5" aria-label="External ids that would be deleted">
        {held.ids.slice(0, 100).map((ext) => (
          <li key={ext} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs">{ext}</li>
        ))}
        {held.ids.length > 100 ? <li className="text-xs text-zinc-500">and {held.count - 100} more</li> : null}
      </ul>
    </section>
  );
}
