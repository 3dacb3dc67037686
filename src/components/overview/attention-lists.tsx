import Link from "next/link";
import type { ReactNode } from "react";
import type { TConflictView } from "~/server/services/conflicts/list-conflicts";
import type { TDeliveryView } from "~/server/services/deliveries/delivery-view";
import { shortId } from "../console/format";
import { hrefWith } from "../console/params";
import { DateTime } from "../date-time";
import { linkClass } from "../styles";

type Names = Record<string, string>;

function Panel({ id, title, more, empty, children }: { id: string; title: string; more: ReactNode; empty: string | null; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="min-w-0 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm">
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
        <h3 id={id} className="font-semibold text-zinc-900">{title}</h3>
        <span className="text-sm">{more}</span>
      </div>
      {empty ? <p className="text-sm text-zinc-600">{empty}</p> : <ul className="divide-y divide-zinc-100">{children}</ul>}
    </section>
  );
}

/** The newest open conflicts, each with the record and the two sides; the inbox is one click away. */
export function OpenConflicts({ items, total, names }: { items: TConflictView[]; total: number; names: Names }) {
  return (
    <Panel
      id="open-conflicts-title"
      title="Open conflicts"
      more={total > 0 ? <Link href="/conflicts" className={linkClass}>All {total} open</Link> : null}
      empty={total === 0 ? "None: every field two systems changed has been settled." : null}
    >
      {items.map((c) => (
        <li key={c.id} className="py-2 text-sm">
          <Link href="/conflicts" className={linkClass}>
            <code className="font-mono">{c.field}</code> of {c.entity} {c.recordName ?? shortId(c.recordId)}
          </Link>
          <span className="block text-xs text-zinc-600">
            {names[c.theirsSystem] ?? c.theirsSystem} vs {c.oursSystem ? (names[c.oursSystem] ?? c.oursSystem) : "Concord"} · <DateTime value={c.createdAt} />
          </span>
        </li>
      ))}
    </Panel>
  );
}

/** The newest dead deliveries, each linking to its attempts; replay happens on the Deliveries page. */
export function DeadDeliveries({ items, total, names }: { items: TDeliveryView[]; total: number; names: Names }) {
  return (
    <Panel
      id="dead-deliveries-title"
      title="Dead deliveries"
      more={total > 0 ? <Link href={hrefWith("/deliveries", { status: "dead" })} className={linkClass}>All {total} dead</Link> : null}
      empty={total === 0 ? "None: every delivery went through or is still being tried." : null}
    >
      {items.map((d) => (
        <li key={d.id} className="py-2 text-sm">
          <Link href={`/deliveries/${d.id}`} className={linkClass}>#{d.id}</Link> {d.action ?? "write"} of {d.entity} to {names[d.system] ?? d.system}
          {d.lastError ? <span className="block text-xs text-red-800 [overflow-wrap:anywhere]">{d.lastError}</span> : null}
          {d.finishedAt ? <span className="block text-xs text-zinc-600">died <DateTime value={d.finishedAt} /></span> : null}
        </li>
      ))}
    </Panel>
  );
}
