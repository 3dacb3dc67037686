import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { LiveRefresh } from "~/components/conflicts/live-refresh";
import { hrefWith, pageParam, param, totalPages, type SearchParams } from "~/components/console/params";
import { LinkTabs } from "~/components/console/tabs";
import { EmptyState } from "~/components/empty-state";
import { DriftFilters } from "~/components/links/drift-filters";
import { DriftHistory } from "~/components/links/drift-history";
import { DriftSummary } from "~/components/links/drift-summary";
import { DriftTable } from "~/components/links/drift-table";
import { LabelledPagination } from "~/components/links/labelled-pagination";
import { MakeAgree } from "~/components/links/make-agree";
import { LinksSectionTabs } from "~/components/links/section-tabs";
import { StartDriftCheck } from "~/components/links/start-drift-check";
import { PageHeader } from "~/components/page-header";
import { Pagination } from "~/components/pagination";
import { AutoRefresh } from "~/components/runs/auto-refresh";
import { serverCaller } from "~/trpc/server";
import { entityBindings } from "../../_lib/bindings";
import { isMissing } from "../../_lib/errors";
import { requireSession } from "../../session";

export const metadata: Metadata = { title: "Drift report" };

const PAGE_SIZE = 25;
const HISTORY_SIZE = 5;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUSES = ["open", "fixed", "all"] as const;

export default async function DriftPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await requireSession();
  const isAdmin = session.user.role === "admin";
  const sp = await searchParams;
  const bindings = entityBindings();
  const entities = [...new Set(bindings.map((b) => b.entity))];
  const entity = entities.find((e) => e === param(sp, "entity")) ?? entities[0] ?? "";
  const status = STATUSES.find((s) => s === param(sp, "status")) ?? "open";
  const [page, hpage] = [pageParam(sp), pageParam(sp, "hpage")];
  const caller = await serverCaller();
  const [systems, history, latest] = await Promise.all([
    caller.systems.list(),
    caller.drift.checks({ entity, page: hpage, pageSize: HISTORY_SIZE }),
    caller.drift.checks({ entity, page: 1, pageSize: 1 }),
  ]);
  const bound = systems.filter((s) => bindings.some((b) => b.entity === entity && b.system === s.key));
  const systemNames = Object.fromEntries(systems.map((s) => [s.key, s.name]));
  const system = bound.find((s) => s.key === param(sp, "system"))?.key ?? "";
  const requested = param(sp, "check");
  if (requested && !UUID.test(requested)) notFound();
  const checkId = requested || latest.items[0]?.id || null;
  const report = checkId
    ? await caller.drift.report({ checkId, status, system: system || undefined, page, pageSize: PAGE_SIZE }).catch((err: unknown) => {
        if (isMissing(err)) notFound();
        throw err;
      })
    : null;
  const running = latest.items[0]?.status === "running";
  const here = { entity, check: requested, status: status === "open" ? "" : status, system };

  const results = !report ? null : report.records.length ? (
    <>
      <p className="mb-2 text-sm text-zinc-600" aria-live="polite">
        {report.total} {report.total === 1 ? "record" : "records"} listed, by name.
      </p>
      <DriftTable records={report.records} systemNames={systemNames} canFix={isAdmin} />
      <Pagination page={report.page} totalPages={totalPages(report.total, report.pageSize)} hrefFor={(p) => hrefWith("/links/drift", { ...here, page: p })} />
    </>
  ) : (
    <EmptyState
      title={report.check.status === "running" ? "Nothing found yet" : status === "open" ? "No open drift" : "Nothing listed"}
      description={report.check.status === "running" ? "The check is still reading; differences appear here as it finds them." : status === "open" ? "Every difference this check found has been made to agree, or it found none." : "No drift item matches these filters in this check."}
    />
  );

  return (
    <>
      {report?.check.status === "running" ? <AutoRefresh intervalMs={1500} /> : <LiveRefresh />}
      <PageHeader
        title="Drift report"
        description="Linked records whose common fields differ between Concord and a system — changed there without Concord hearing of it (a lost webhook, a direct edit). A check reads every linked document live from each system and compares it with Concord's record."
      />
      <LinksSectionTabs current="drift" entity={entity} />
      {entities.length > 1 ? <LinkTabs label="Entity" tabs={entities.map((e) => ({ href: hrefWith("/links/drift", { entity: e }), label: e, current: e === entity }))} /> : null}
      {isAdmin ? <div className="mb-4"><StartDriftCheck entity={entity} running={running} /></div> : <p className="mb-4 text-sm text-zinc-600">Only admins can start a check or make records agree.</p>}

      {!report ? (
        <EmptyState title="No drift check yet" description={`A drift check of ${entity} compares every linked document in ${bound.map((s) => s.name).join(", ") || "its systems"} with Concord's records and lists the fields that differ.${isAdmin ? " Start one with Check drift." : " An admin can start one."}`} />
      ) : (
        <>
          <DriftSummary check={report.check} systems={bound.map((s) => s.name).join(", ")} />
          <LinkTabs
            label="Drift item status"
            tabs={STATUSES.map((s) => ({ href: hrefWith("/links/drift", { ...here, status: s === "open" ? "" : s }), label: s === "open" ? `Open (${report.openRecords})` : s === "fixed" ? "Made to agree" : "All", current: s === status }))}
          />
          <DriftFilters values={{ entity, check: requested, status, system }} systems={bound.map((s) => ({ key: s.key, name: s.name }))} />
          {isAdmin ? (
            <MakeAgree key={report.check.id} checkId={report.check.id} visibleIds={report.records.filter((r) => !r.deleted && r.items.some((i) => i.status === "open")).map((r) => r.recordId)} openRecords={report.openRecords}>
              {results}
            </MakeAgree>
          ) : (
            results
          )}
        </>
      )}

      {history.items.length ? (
        <section aria-labelledby="drift-history-title" className="mt-8 space-y-3">
          <h2 id="drift-history-title" className="text-lg font-semibold text-zinc-900">Checks of {entity}</h2>
          <DriftHistory checks={history.items} entity={entity} current={report?.check.id ?? null} />
          <LabelledPagination label="Pages of checks" page={history.page} totalPages={totalPages(history.total, HISTORY_SIZE)} hrefFor={(p) => hrefWith("/links/drift", { ...here, page, hpage: p })} />
        </section>
      ) : null}
    </>
  );
}
