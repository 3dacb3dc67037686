import type { Metadata } from "next";
import { hrefWith, pageParam, param, totalPages, type SearchParams } from "~/components/console/params";
import { EmptyState } from "~/components/empty-state";
import { FleetSyncForm } from "~/components/fleet/fleet-sync-form";
import { PageHeader } from "~/components/page-header";
import { Pagination } from "~/components/pagination";
import { dayRange } from "~/components/runs/date-range";
import { LiveRefresh } from "~/components/runs/live-refresh";
import { RunFilters } from "~/components/runs/run-filters";
import { RUN_KINDS } from "~/components/runs/run-labels";
import { RunsTable } from "~/components/runs/runs-table";
import { SyncNowForm } from "~/components/runs/sync-now-form";
import { serverCaller } from "~/trpc/server";
import { entityBindings, entityKeys } from "../_lib/bindings";
import { requireSession } from "../session";

export const metadata: Metadata = { title: "Runs" };

const PAGE_SIZE = 25;

export default async function RunsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await requireSession();
  const isAdmin = session.user.role === "admin";
  const sp = await searchParams;
  const kindParam = param(sp, "kind");
  const kind = RUN_KINDS.find((k) => k === kindParam);
  const filters = { entity: param(sp, "entity"), system: param(sp, "system"), kind: kind ?? "", status: param(sp, "status"), from: param(sp, "from"), to: param(sp, "to") };
  const range = dayRange(filters.from, filters.to);
  const page = pageParam(sp);

  const caller = await serverCaller();
  const [result, systems] = await Promise.all([
    caller.runs.list({
      entity: filters.entity || undefined,
      system: filters.system || undefined,
      kind,
      status: filters.status || undefined,
      from: range.from,
      to: range.error ? undefined : range.to,
      page,
      pageSize: PAGE_SIZE,
    }),
    caller.systems.list(),
  ]);
  const systemNames = Object.fromEntries(systems.map((s) => [s.key, s.name]));
  const systemRefs = systems.map((s) => ({ key: s.key, name: s.name }));
  const filtered = Object.values(filters).some(Boolean);

  return (
    <>
      <PageHeader title="Runs" description="Every sync run: what started it, how long it took and what happened to each item. Open a run for its per-item outcomes or, for a dry run, its plan." />
      {isAdmin ? <SyncNowForm bindings={entityBindings()} systems={systemRefs} /> : null}
      {isAdmin && systems.some((s) => s.key === "onboarding") ? <FleetSyncForm /> : null}
      <RunFilters values={filters} entities={entityKeys()} systems={systemRefs} toError={range.error} />
      <LiveRefresh events={["run"]} what="runs" />
      {result.items.length > 0 ? (
        <>
          <p className="mb-2 text-sm text-zinc-600" aria-live="polite">
            {result.total} {result.total === 1 ? "run" : "runs"}
            {filtered ? " match these filters" : ""}
          </p>
          <RunsTable runs={result.items} systemNames={systemNames} />
          <Pagination page={result.page} totalPages={totalPages(result.total, result.pageSize)} hrefFor={(p) => hrefWith("/runs", { ...filters, page: p })} />
        </>
      ) : filtered || page > 1 ? (
        <EmptyState title="No runs match" description="No sync run matches these filters on this page. Try other filters, or clear them." />
      ) : (
        <EmptyState
          title="No sync runs yet"
          description={`A run appears here when an admin starts one${isAdmin ? " with Sync now above" : ""}, when a schedule fires, or when an internal tool starts one through the API. Each shows its counts and per-item outcomes. Webhooks need no run: their changes show on the Deliveries page.`}
        />
      )}
    </>
  );
}
