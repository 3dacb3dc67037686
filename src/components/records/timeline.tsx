import Link from "next/link";
import type { TTimelineEntry } from "~/server/services/records/timeline-entries";
import { EmptyState } from "../empty-state";
import { TimelineEntry } from "./timeline-entry";

const navLink = "rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium text-zinc-800 hover:bg-zinc-100";

/**
 * The record's history, newest first: changes with their origin, deliveries with their attempts,
 * conflicts, links and admins' link actions. Paged by cursor: "Older" continues after the last entry shown.
 */
export function Timeline({
  items,
  olderHref,
  newestHref,
  systemNames,
}: {
  items: TTimelineEntry[];
  olderHref: string | null;
  /** Set when this page is not the first. */
  newestHref: string | null;
  systemNames: Record<string, string>;
}) {
  const name = (s: string | null) => (s === null ? "—" : s === "concord" ? "Concord" : (systemNames[s] ?? s));
  if (items.length === 0) {
    return newestHref ? (
      <EmptyState title="Nothing older" description="This is the start of the record's history.">
        <Link href={newestHref} className={navLink}>Back to the newest</Link>
      </EmptyState>
    ) : (
      <EmptyState title="No history yet" description="Each change, delivery, conflict and link of this record will be listed here as it happens." />
    );
  }
  return (
    <>
      <ol aria-label="History, newest first" className="space-y-5 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm sm:p-6">
        {items.map((e) => (
          <TimelineEntry key={`${e.type}-${e.key}`} entry={e} name={name} />
        ))}
      </ol>
      {olderHref || newestHref ? (
        <nav aria-label="History pages" className="mt-4 flex items-center justify-between gap-3">
          {newestHref ? <Link href={newestHref} className={navLink}>Newest</Link> : <span />}
          {olderHref ? <Link href={olderHref} className={navLink} rel="next">Older</Link> : <span className="text-sm text-zinc-500">Start of the history</span>}
        </nav>
      ) : null}
    </>
  );
}
