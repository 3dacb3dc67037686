import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { hrefWith, pageParam, param, totalPages, type SearchParams } from "~/components/console/params";
import { LinkTabs } from "~/components/console/tabs";
import { PageHeader } from "~/components/page-header";
import { Pagination } from "~/components/pagination";
import { HeldDeletes } from "~/components/runs/held-deletes";
import { PlanSection } from "~/components/runs/plan-section";
import { RetryFailedButton } from "~/components/runs/retry-failed-button";
import { RunActions } from "~/components/runs/run-actions";
import { RunItemsTable } from "~/components/runs/run-items-table";
import { RunLiveProvider } from "~/components/runs/run-live";
import { isActiveRun, kindLabel } from "~/components/runs/run-labels";
import { parsePlan } from "~/components/runs/run-plan";
import { RunContinuations } from "~/components/runs/run-continuations";
import { RunSummary } from "~/components/runs/run-summary";
import { linkClass } from "~/components/styles";
import { serverCaller } from "~/trpc/server";
import { isMissing } from "../../_lib/errors";
import { requireSession } from "../../session";
import { TemporaryPasswords } from "~/components/fleet/temporary-passwords";
import { HeldForReview } from "~/components/duplicates/held-for-review";
import { RunProgress } from "./run-progress";

export const metadata: Metadata = { title: "Run" };

const ITEMS_PAGE = 50;
const PLAN_PAGE = 50;

async function load(id: string, only: "all" | "failed", page: number, externalId: string | undefined) {
  const caller = await serverCaller();
  try {
    const detail = await caller.runs.get({ id, page: 1, pageSize: 1 });
    const dry = detail.run.kind === "dry-run";
    const [items, applications, systems, duplicates] = await Promise.all([
      caller.runs.items({ id, only, page, pageSize: ITEMS_PAGE, externalId }),
      dry ? caller.runs.planApplications({ runId: id }) : { runs: [], applied: [] },
      caller.systems.list(),
      caller.duplicates.list({ runId: id, status: "all", pageSize: 200 }),
    ]);
    const heldDeletes = parsePlan(detail.plan)?.held ? await caller.runs.heldDeletes({ runId: id }) : null;
    return { ...detail, items, applications, systems, duplicates, heldDeletes };
  } catch (err) {
    if (isMissing(err)) notFound();
    throw err;
  }
}

export default async function RunPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const session = await requireSession();
  const isAdmin = session.user.role === "admin";
  const [{ id }, sp] = await Promise.all([params, searchParams]);
  const only = param(sp, "items") === "failed" ? "failed" : "all";
  const page = pageParam(sp);
  const planPage = pageParam(sp, "planPage");
  const item = param(sp, "item")?.slice(0, 200) || undefined;
  const { run, plan, items, applications, systems, duplicates, heldDeletes, holder } = await load(id, only, page, item);
  const heldBySystem = [...new Set(duplicates.items.map((d) => d.system))].map((system) => ({
    system,
    total: duplicates.items.filter((d) => d.system === system).length,
    open: duplicates.items.filter((d) => d.system === system && d.status === "open").length,
  }));
  const systemNames = Object.fromEntries(systems.map((s) => [s.key, s.name]));
  const systemName = systemNames[run.system] ?? run.system;
  const parsed = parsePlan(plan);
  const active = isActiveRun(run.status);
  const canAct = isAdmin && (active || run.status === "awaiting-approval");
  const canRetry = isAdmin && !active && run.status !== "awaiting-approval" && run.kind !== "dry-run" && items.failed > 0;
  const appliesPlanOf = typeof run.options?.appliesPlanOf === "string" ? run.options.appliesPlanOf : null;
  const here = (p: { page?: number; planPage?: number; items?: string }) =>
    hrefWith(`/runs/${run.id}`, { items: p.items ?? (only === "failed" ? "failed" : ""), page: p.page ?? page, planPage: p.planPage ?? planPage });

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/runs" className={linkClass}>← All runs</Link>
        {run.groupId ? (
          <>
            {" · "}
            <Link href={`/runs/groups/${run.groupId}`} className={linkClass}>This run's fleet sync</Link>
          </>
        ) : null}
      </p>
      <PageHeader
        title={`${kindLabel(run.kind).replace(/^./, (c) => c.toUpperCase())} of ${run.entity} from ${systemName}`}
        description={run.kind === "dry-run" ? `A dry run reads everything a full sync would and changes nothing${parsed ? ": its plan below shows what a full sync would do." : "."}` : "What this run read, what it changed and what happened to each item."}
      />
      {appliesPlanOf ? (
        <p className="mb-4 text-sm text-zinc-700">
          This run applies the plan of <Link href={`/runs/${appliesPlanOf}`} className={linkClass}>a dry run</Link>, for the records chosen there only.
        </p>
      ) : null}
      <RunLiveProvider key={run.status} runId={run.id} status={run.status} counts={run.counts}>
        <RunProgress runId={run.id} />
        <RunSummary run={run} systemName={systemName} />
      </RunLiveProvider>
      <RunContinuations run={run} holder={holder} />
      {isAdmin && run.system === "onboarding" ? <TemporaryPasswords runId={run.id} /> : null}
      {canAct || canRetry ? (
        <div className="mt-4 flex flex-wrap gap-6">
          {canAct ? <RunActions runId={run.id} status={run.status} /> : null}
          {canRetry ? <RetryFailedButton runId={run.id} failed={items.failed} /> : null}
        </div>
      ) : null}

      <HeldForReview held={heldBySystem} entity={run.entity} systemNames={systemNames} />
      {heldDeletes ? <HeldDeletes held={heldDeletes} systemName={systemName} systemNames={systemNames} runId={run.id} canRecreate={isAdmin} /> : null}

      {parsed && (parsed.entries.length > 0 || run.kind === "dry-run") ? (
        <PlanSection
          run={run}
          plan={parsed}
          page={planPage}
          pageSize={PLAN_PAGE}
          hrefFor={(p) => here({ planPage: p })}
          applications={applications}
          systemNames={systemNames}
          canApply={isAdmin && run.kind === "dry-run" && run.status === "succeeded"}
        />
      ) : null}

      <section aria-labelledby="items-title" className="mt-8">
        <h2 id="items-title" className="text-lg font-semibold text-zinc-900">Per-item outcomes</h2>
        {item ? (
          <p className="mt-1 text-sm text-zinc-700" data-testid="item-filter">
            Only the document with id {item} in {systemName}. <Link href={here({ page: 1 })} className={linkClass}>Show every item</Link>
          </p>
        ) : items.all > 0 ? (
          <LinkTabs
            label="Which outcomes"
            tabs={[
              { href: here({ items: "", page: 1 }), label: `All (${items.all})`, current: only === "all" },
              { href: here({ items: "failed", page: 1 }), label: `Failed (${items.failed})`, current: only === "failed" },
            ]}
          />
        ) : null}
        {items.items.length ? (
          <>
            <p className="mt-1 mb-3 text-sm text-zinc-600">
              {items.total} {items.total === 1 ? "item" : "items"}{only === "failed" ? " failed" : ""}, in the order they were handled.
            </p>
            <RunItemsTable items={items.items} />
            <Pagination page={page} totalPages={totalPages(items.total, ITEMS_PAGE)} hrefFor={(p) => here({ page: p })} />
          </>
        ) : (
          <p className="mt-1 text-sm text-zinc-600">
            {run.kind === "dry-run"
              ? `A dry run applies nothing, so it records no per-item outcomes${parsed ? ": see its plan." : "."}`
              : only === "failed" && items.all > 0
                ? "No item failed."
                : active
                  ? "None yet: outcomes appear here page by page as the run reads the system."
                  : page > 1
                    ? "No items on this page."
                    : "This run handled no items."}
          </p>
        )}
      </section>
    </>
  );
}
