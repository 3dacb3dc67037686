import type { Metadata } from "next";
import Link from "next/link";
import { hrefWith, pageParam, param, totalPages, type SearchParams } from "~/components/console/params";
import { LinkTabs } from "~/components/console/tabs";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { Pagination } from "~/components/pagination";
import { LiveRefresh } from "~/components/records/live-refresh";
import { RecordFilters, RECORD_STATES } from "~/components/records/record-filters";
import { RecordsTable } from "~/components/records/records-table";
import { linkClass } from "~/components/styles";
import { serverCaller } from "~/trpc/server";
import { requireSession } from "../session";

export const metadata: Metadata = { title: "Records" };

const PAGE_SIZE = 50;

export default async function RecordsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireSession();
  const sp = await searchParams;
  const caller = await serverCaller();
  const [entities, systems] = await Promise.all([caller.records.entities(), caller.systems.list()]);
  if (entities.length === 0) {
    return (
      <>
        <PageHeader title="Records" description="Business records as Concord knows them, with each system's copy." />
        <EmptyState title="No entities configured" description="The sync configuration declares no entity, so Concord keeps no records yet." />
      </>
    );
  }
  const entity = entities.find((e) => e.key === param(sp, "entity")) ?? entities[0]!;
  const show = RECORD_STATES.find((s) => s.value === param(sp, "show"))?.value ?? "";
  const q = param(sp, "q");
  const page = pageParam(sp);
  const result = await caller.records.list({ entity: entity.key, search: q || undefined, includeDeleted: show === "all", onlyDeleted: show === "deleted", page, pageSize: PAGE_SIZE });
  const systemNames = Object.fromEntries(systems.map((s) => [s.key, s.name]));
  const filters = { entity: entity.key, q, show };
  const noun = entity.label.toLowerCase();

  return (
    <>
      <PageHeader
        title="Records"
        description="Concord's own copy of each business record, one entity at a time. Open a record to compare its values with each system's, read them live, follow its history and restore it when it was deleted."
      />
      <LinkTabs label="Entity" tabs={entities.map((e) => ({ href: hrefWith("/records", { entity: e.key }), label: e.label, current: e.key === entity.key }))} />
      <RecordFilters values={filters} naturalKey={entity.naturalKey} displayField={entity.displayField} entityLabel={entity.label} />
      <LiveRefresh minIntervalMs={5000} />
      {result.items.length > 0 ? (
        <>
          <p className="mb-2 text-sm text-zinc-600" aria-live="polite">
            {result.total} {result.total === 1 ? `${noun} record` : `${noun} records`}
            {q ? ` starting with “${q}”` : ""}
            {show === "deleted" ? ", deleted" : show === "all" ? ", live and deleted" : ""}, by {entity.naturalKey}
          </p>
          <RecordsTable items={result.items} naturalKey={entity.naturalKey} systemNames={systemNames} label={`${entity.label} records`} />
          <Pagination page={result.page} totalPages={totalPages(result.total, result.pageSize)} hrefFor={(p) => hrefWith("/records", { ...filters, page: p })} />
        </>
      ) : page > 1 ? (
        <EmptyState title="Nothing on this page" description="There are fewer records than this page number suggests. Go back to the first page." />
      ) : q || show ? (
        <EmptyState
          title={show === "deleted" && !q ? `No deleted ${noun} records` : `No ${noun} records match`}
          description={
            show === "deleted" && !q
              ? "A deleted record is kept here as a tombstone for a while, so it can be restored. None is kept now."
              : `No ${noun} record's ${entity.displayField} or ${entity.naturalKey} starts with this text. Search is by the start of the text, ignoring case.`
          }
        />
      ) : (
        <EmptyState
          title={`No ${noun} records yet`}
          description={`${/^[aeiou]/i.test(noun) ? "An" : "A"} ${noun} record appears here once Concord reads it from a system: after a sync run, a webhook or a change from an internal tool.`}
        >
          <p className="text-sm text-zinc-600">
            Start a sync on <Link href="/runs" className={linkClass}>Runs</Link>.
          </p>
        </EmptyState>
      )}
    </>
  );
}
