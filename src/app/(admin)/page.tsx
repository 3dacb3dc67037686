import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "~/components/empty-state";
import { SystemTile } from "~/components/overview/system-tile";
import { PageHeader } from "~/components/page-header";
import { RunsTable } from "~/components/runs/runs-table";
import { linkClass } from "~/components/styles";
import { serverCaller } from "~/trpc/server";
import { requireSession } from "./session";

export const metadata: Metadata = { title: "Overview" };

/** Open conflicts are counted per system from one page of them; beyond it, only the total is honest. */
const CONFLICT_SAMPLE = 200;

export default async function OverviewPage() {
  await requireSession();
  const caller = await serverCaller();
  const [systems, runs, conflicts] = await Promise.all([
    caller.systems.list(),
    caller.runs.list({ page: 1, pageSize: 5 }),
    caller.conflicts.list({ status: "open", page: 1, pageSize: CONFLICT_SAMPLE }),
  ]);
  const systemNames = Object.fromEntries(systems.map((s) => [s.key, s.name]));
  const exact = conflicts.total <= conflicts.items.length;
  const conflictsOf = (key: string) => (exact ? conflicts.items.filter((c) => c.theirsSystem === key || c.oursSystem === key).length : null);

  const header = <PageHeader title="Overview" description="Concord at a glance: the systems it keeps in agreement, the latest sync runs and anything that needs your attention." />;
  if (systems.length === 0 && runs.total === 0) {
    return (
      <>
        {header}
        <EmptyState
          title="Nothing to report yet"
          description="No systems are configured and no sync has run. Once systems are configured and syncs run, this page sums up the latest runs, failed deliveries and open conflicts."
        />
      </>
    );
  }

  return (
    <>
      {header}
      <section aria-labelledby="systems-title">
        <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="systems-title" className="text-lg font-semibold text-zinc-900">Systems</h2>
          <p className="text-sm text-zinc-600">
            {conflicts.total === 0 ? "No open conflicts." : (
              <Link href="/conflicts" className={linkClass}>{conflicts.total} open {conflicts.total === 1 ? "conflict" : "conflicts"} in all</Link>
            )}
          </p>
        </div>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {systems.map((s) => (
            <SystemTile key={s.key} system={s} openConflicts={conflictsOf(s.key)} />
          ))}
        </div>
      </section>

      <section aria-labelledby="recent-runs-title" className="mt-10">
        <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="recent-runs-title" className="text-lg font-semibold text-zinc-900">Recent runs</h2>
          {runs.total > 0 ? <Link href="/runs" className={`${linkClass} text-sm`}>Full run history ({runs.total})</Link> : null}
        </div>
        {runs.items.length > 0 ? (
          <RunsTable runs={runs.items} systemNames={systemNames} label="Recent runs" compact />
        ) : (
          <EmptyState title="No sync runs yet" description="When a sync runs, the five latest appear here with their status and counts. Admins start runs on the Runs page." />
        )}
      </section>
    </>
  );
}
