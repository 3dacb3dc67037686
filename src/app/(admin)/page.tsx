import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { hrefWith, param, type SearchParams } from "~/components/console/params";
import { LinkTabs } from "~/components/console/tabs";
import { EmptyState } from "~/components/empty-state";
import { LiveRefresh } from "~/components/overview/live-refresh";
import { Activity, Attention, Loading, Section, SystemTiles, Topology } from "~/components/overview/sections";
import { PageHeader } from "~/components/page-header";
import { RunsTable } from "~/components/runs/runs-table";
import { linkClass } from "~/components/styles";
import { serverCaller } from "~/trpc/server";
import { requireSession } from "./session";

export const metadata: Metadata = { title: "Overview" };

const RANGES = [
  { key: "1h", label: "Last 60 minutes, per minute" },
  { key: "24h", label: "Last 24 hours, per hour" },
] as const;

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireSession();
  const range = param(await searchParams, "range") === "24h" ? "24h" : "1h";
  const caller = await serverCaller();
  const [systems, runs, topology] = await Promise.all([caller.systems.list(), caller.runs.list({ page: 1, pageSize: 5 }), caller.overview.topology()]);
  const names = Object.fromEntries(systems.map((s) => [s.key, s.name]));

  const header = (
    <PageHeader title="Overview" description="Whether the systems agree: each one's health, how the records flow between them, deliveries over time, and anything that needs your attention.">
      {systems.length ? <LiveRefresh /> : null}
    </PageHeader>
  );
  if (systems.length === 0 && runs.total === 0) {
    return (
      <>
        {header}
        <EmptyState
          title="Nothing to report yet"
          description="No systems are configured and no sync has run. Once systems are configured and syncs run, this page sums up their health, the flows between them, the latest runs, failed deliveries and open conflicts."
        />
      </>
    );
  }

  // Read together; each part shows as soon as its own figures arrive.
  const health = caller.overview.health();
  const series = caller.overview.series({ range });
  const conflicts = caller.conflicts.list({ status: "open", page: 1, pageSize: 5 });
  const dead = caller.deliveries.list({ status: ["dead"], page: 1, pageSize: 5 });
  return (
    <>
      {header}
      <Section id="systems-title" title="Systems">
        <Suspense fallback={<Loading label="Reading each system's health…" className="h-56" />}>
          <SystemTiles systems={systems} health={health} now={new Date()} />
        </Suspense>
      </Section>

      <Section id="topology-title-h" title="Topology">
        <Suspense fallback={<Loading label="Drawing the topology…" className="h-96" />}>
          <Topology topology={topology} health={health} />
        </Suspense>
      </Section>

      <Section id="activity-title" title="Deliveries over time">
        <LinkTabs label="Chart range" tabs={RANGES.map((r) => ({ href: hrefWith("/", { range: r.key === "1h" ? null : r.key }), label: r.label, current: r.key === range }))} />
        <Suspense fallback={<Loading label="Reading deliveries over time…" className="h-64" />}>
          <Activity series={series} />
        </Suspense>
      </Section>

      <Section id="attention-title" title="Needs attention">
        <Suspense fallback={<Loading label="Reading conflicts and dead deliveries…" />}>
          <Attention conflicts={conflicts} dead={dead} names={names} />
        </Suspense>
      </Section>

      <Section id="recent-runs-title" title="Recent runs" aside={runs.total > 0 ? <Link href="/runs" className={`${linkClass} text-sm`}>Full run history ({runs.total})</Link> : null}>
        {runs.items.length > 0 ? (
          <RunsTable runs={runs.items} systemNames={names} label="Recent runs" compact />
        ) : (
          <EmptyState title="No sync runs yet" description="When a sync runs, the five latest appear here with their status and counts. Admins start runs on the Runs page." />
        )}
      </Section>
    </>
  );
}
