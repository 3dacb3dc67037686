import Link from "next/link";
import type { TFleetGroupView } from "~/server/services/fleet/get-fleet-group";
import { linkClass } from "../styles";

const REASON: Record<TFleetGroupView["blocked"][number]["reason"], string> = {
  invalid: "its parent failed validation",
  "not-approved": "its parent is not approved",
  missing: "its parent is gone",
  dead: "its parent could not be delivered",
};

/** A parent's page: its record when Concord holds it, else the run item where the group read it (which says why it is not in). */
function parentHref(b: TFleetGroupView["blocked"][number]): string | null {
  if (b.parent.recordId) return `/records/${b.parent.recordId}`;
  if (b.parentItem) return `/runs/${b.parentItem.runId}?item=${encodeURIComponent(b.parentItem.externalId)}`;
  return null;
}

/** The group's blocked writes, grouped by parent: each child by name, the reason, and a link to the parent. */
export function GroupBlocked({ blocked, total }: { blocked: TFleetGroupView["blocked"]; total: number }) {
  if (total === 0) return null;
  const byParent = new Map<string, TFleetGroupView["blocked"]>();
  for (const b of blocked) {
    const key = `${b.parent.entity}:${b.parent.recordId ?? b.parent.externalId}`;
    byParent.set(key, [...(byParent.get(key) ?? []), b]);
  }
  return (
    <section aria-labelledby="group-blocked-title" className="mt-6">
      <h2 id="group-blocked-title" className="text-lg font-semibold text-zinc-900">Blocked ({total})</h2>
      <p className="mt-1 mb-3 max-w-3xl text-sm text-zinc-600">
        These records are approved and valid, but their parent cannot reach the target as things stand. Fix the parent in its system (or replay its delivery):
        they go on their own as soon as it lands.
      </p>
      <ul className="space-y-3">
        {[...byParent.values()].map((children) => {
          const first = children[0]!;
          const href = parentHref(first);
          return (
            <li key={`${first.parent.entity}:${first.parent.recordId ?? first.parent.externalId}`} className="rounded-lg border border-orange-200 bg-orange-50 p-3 text-sm" data-testid="blocked-parent">
              <p className="font-semibold text-orange-950">
                {children.length} blocked by {first.parent.entity}{" "}
                {href ? <Link href={href} className={linkClass}>{first.parent.name}</Link> : first.parent.name}
                <span className="font-normal text-orange-900"> — {REASON[first.reason]}</span>
              </p>
              <p className="mt-0.5 text-orange-900 [overflow-wrap:anywhere]">{first.message}</p>
              <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-zinc-800">
                {children.map((b) => (
                  <li key={b.deliveryId} data-testid="blocked-child">
                    <span className="text-zinc-500">{b.entity}</span>{" "}
                    <Link href={`/deliveries/${b.deliveryId}`} className="underline underline-offset-2 hover:text-indigo-800">{b.name}</Link>
                  </li>
                ))}
              </ul>
            </li>
          );
        })}
      </ul>
      {total > blocked.length ? <p className="mt-2 text-sm text-zinc-600">The first {blocked.length} of {total} are listed.</p> : null}
    </section>
  );
}
