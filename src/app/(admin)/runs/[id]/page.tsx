import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { hrefWith, pageParam, totalPages, type SearchParams } from "~/components/console/params";
import { PageHeader } from "~/components/page-header";
import { Pagination } from "~/components/pagination";
import { RunActions } from "~/components/runs/run-actions";
import { RunItemsTable } from "~/components/runs/run-items-table";
import { isActiveRun, kindLabel } from "~/components/runs/run-labels";
import { parsePlan } from "~/components/runs/run-plan";
import { RunPlanTable } from "~/components/runs/run-plan-table";
import { linkClass } from "~/components/styles";
import { RunSummary } from "~/components/runs/run-summary";
import { serverCaller } from "~/trpc/server";
import { isMissing } from "../../_lib/errors";
import { requireSession } from "../../session";
import { RunProgress } from "./run-progress";

export const metadata: Metadata = { title: "Run" };

const ITEMS_PAGE = 50;
const PLAN_PAGE = 50;

async function load(id: string, page: number) {
  const caller = await serverCaller();
  try {
    return await Promise.all([caller.runs.get({ id, page, pageSize: ITEMS_PAGE }), caller.systems.list()]);
  } catch (err) {
    if (isMissing(err)) notFound();
    throw err;
  }
}

export default async function RunPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const session = await requireSession();
  const isAdmin = session.user.role === "admin";
  const [{ id }, sp] = await Promise.all([params, searchParams]);
  const page = pageParam(sp);
  const planPage = pageParam(sp, "planPage");
  const [{ run, plan, items, itemsTotal }, systems] = await load(id, page);
  const systemNames = Object.fromEntries(systems.map((s) => [s.key, s.name]));
  const parsed = parsePlan(plan);
  const planEntries = parsed?.entries.slice((planPage - 1) * PLAN_PAGE, planPage * PLAN_PAGE) ?? [];
  const active = isActiveRun(run.status);
  const canAct = isAdmin && (active || run.status === "awaiting-approval");
  const here = (p: { page?: number; planPage?: number }) => hrefWith(`/runs/${run.id}`, { page: p.page ?? page, planPage: p.planPage ?? planPage });

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/runs" className={linkClass}>← All runs</Link>
      </p>
      <PageHeader
        title={`${kindLabel(run.kind).replace(/^./, (c) => c.toUpperCase())} of ${run.entity} from ${systemNames[run.system] ?? run.system}`}
        description={run.kind === "dry-run" ? `A dry run reads everything a full sync would and changes nothing${parsed ? ": its plan below shows what a full sync would do." : "."}` : "What this run read, what it changed and what happened to each item."}
      />
      <RunProgress runId={run.id} status={run.status} counts={run.counts} />
      <RunSummary run={run} systemName={systemNames[run.system] ?? run.system} />
      {canAct ? (
        <div className="mt-4">
          <RunActions runId={run.id} status={run.status} />
        </div>
      ) : null}

      {parsed?.held ? (
        <section aria-labelledby="held-title" className="mt-8">
          <h2 id="held-title" className="text-lg font-semibold text-zinc-900">Deletes held for approval</h2>
          <p className="mt-1 text-sm text-zinc-600">
            {parsed.held.count} of {parsed.held.linked} linked records are no longer in {systemNames[run.system] ?? run.system}. Approving deletes them in Concord and every other system; rejecting deletes nothing.
          </p>
          <ul className="mt-2 flex flex-wrap gap-1.5" aria-label="External ids that would be deleted">
            {parsed.held.ids.slice(0, 100).map((ext) => (
              <li key={ext} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs">{ext}</li>
            ))}
            {parsed.held.ids.length > 100 ? <li className="text-xs text-zinc-500">and {parsed.held.count - 100} more</li> : null}
          </ul>
        </section>
      ) : null}

      {parsed && (parsed.entries.length > 0 || run.kind === "dry-run") ? (
        <section aria-labelledby="plan-title" className="mt-8">
          <h2 id="plan-title" className="text-lg font-semibold text-zinc-900">Plan</h2>
          <p className="mt-1 mb-3 text-sm text-zinc-600">
            {parsed.entries.length === 0
              ? "A full sync would change nothing: every record already agrees."
              : `${parsed.entries.length} ${parsed.entries.length === 1 ? "record" : "records"} would change${parsed.truncated ? " (the plan keeps the first 2,000)" : ""}.`}
          </p>
          {planEntries.length ? (
            <>
              <RunPlanTable entries={planEntries} systemNames={systemNames} />
              <Pagination page={planPage} totalPages={totalPages(parsed.entries.length, PLAN_PAGE)} hrefFor={(p) => here({ planPage: p })} />
            </>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="items-title" className="mt-8">
        <h2 id="items-title" className="text-lg font-semibold text-zinc-900">Per-item outcomes</h2>
        {items.length ? (
          <>
            <p className="mt-1 mb-3 text-sm text-zinc-600">{itemsTotal} {itemsTotal === 1 ? "item" : "items"}, in the order they were handled.</p>
            <RunItemsTable items={items} />
            <Pagination page={page} totalPages={totalPages(itemsTotal, ITEMS_PAGE)} hrefFor={(p) => here({ page: p })} />
          </>
        ) : (
          <p className="mt-1 text-sm text-zinc-600">
            {run.kind === "dry-run"
              ? `A dry run applies nothing, so it records no per-item outcomes${parsed ? ": see its plan." : "."}`
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
