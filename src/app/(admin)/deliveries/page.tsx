import type { Metadata } from "next";
import { hrefWith, pageParam, param, totalPages, type SearchParams } from "~/components/console/params";
import { LinkTabs } from "~/components/console/tabs";
import { DeliveriesSelection } from "~/components/deliveries/deliveries-selection";
import { DeliveriesTable } from "~/components/deliveries/deliveries-table";
import { DeliveryFilters, DELIVERY_STATUSES } from "~/components/deliveries/delivery-filters";
import { ReplayDeadButton } from "~/components/deliveries/replay-dead-button";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { Pagination } from "~/components/pagination";
import { dayRange, UUID } from "~/components/runs/date-range";
import { LiveRefresh } from "~/components/runs/live-refresh";
import { serverCaller } from "~/trpc/server";
import { entityKeys } from "../_lib/bindings";
import { requireSession } from "../session";

export const metadata: Metadata = { title: "Deliveries" };

const PAGE_SIZE = 50;
const TABS = [
  { status: "", label: "All" },
  { status: "pending", label: "Pending" },
  { status: "retrying", label: "Retrying" },
  { status: "dead", label: "Dead" },
] as const;

export default async function DeliveriesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await requireSession();
  const isAdmin = session.user.role === "admin";
  const sp = await searchParams;
  const status = DELIVERY_STATUSES.find((s) => s === param(sp, "status"));
  const filters = { status: status ?? "", system: param(sp, "system"), entity: param(sp, "entity"), record: param(sp, "record"), from: param(sp, "from"), to: param(sp, "to") };
  const range = dayRange(filters.from, filters.to);
  const recordOk = !filters.record || UUID.test(filters.record);
  const errors = { record: recordOk ? undefined : "Must be a record id (a UUID, as on the Records page).", to: range.error };
  const scope = { system: filters.system || undefined, entity: filters.entity || undefined, recordId: recordOk && filters.record ? filters.record : undefined, from: range.from, to: range.error ? undefined : range.to };
  const page = pageParam(sp);

  const caller = await serverCaller();
  const [result, counts, systems] = await Promise.all([
    caller.deliveries.list({ ...scope, status: status ? [status] : undefined, page, pageSize: PAGE_SIZE }),
    caller.deliveries.counts(scope),
    caller.systems.list(),
  ]);
  const systemNames = Object.fromEntries(systems.map((s) => [s.key, s.name]));
  const filtered = Object.values(filters).some(Boolean);
  const scopeText = [
    scope.system ? `to ${systemNames[scope.system] ?? scope.system}` : "",
    scope.entity ? `of ${scope.entity}` : "",
    scope.recordId ? `for record ${scope.recordId.slice(0, 8)}` : "",
    scope.from || scope.to ? `queued ${filters.from && scope.from ? `from ${filters.from} ` : ""}${filters.to && scope.to ? `to ${filters.to}` : ""}`.trim() : "",
  ].filter(Boolean).join(", ");
  const replayStatus = !status || status === "dead" ? "dead" : status === "retrying" ? "retrying" : null;
  const all = Object.values(counts).reduce((n, c) => n + c, 0);
  const here = (p: Record<string, string | number>) => hrefWith("/deliveries", { ...filters, ...p });

  return (
    <>
      <PageHeader
        title="Deliveries"
        description="Each change Concord sends to a system, every attempt and the system's answer. A delivery that used up its retries is dead: fix the cause, then replay it."
      />
      <DeliveryFilters values={filters} systems={systems.map((s) => ({ key: s.key, name: s.name }))} entities={entityKeys()} errors={errors} />
      <LinkTabs
        label="Deliveries by status"
        tabs={TABS.map((t) => ({ href: here({ status: t.status, page: 1 }), label: `${t.label} (${t.status ? (counts[t.status] ?? 0) : all})`, current: (status ?? "") === t.status }))}
      />
      <LiveRefresh events={["delivery"]} what="deliveries" />
      {isAdmin && replayStatus ? <ReplayDeadButton status={replayStatus} filter={scope} count={counts[replayStatus] ?? 0} scope={scopeText} /> : null}
      {result.items.length > 0 ? (
        <>
          <p className="mb-2 text-sm text-zinc-600" aria-live="polite">
            {result.total} {result.total === 1 ? "delivery" : "deliveries"}
            {filtered ? " match these filters" : ""}, newest first
          </p>
          {isAdmin ? <DeliveriesSelection items={result.items} systemNames={systemNames} /> : <DeliveriesTable items={result.items} systemNames={systemNames} />}
          <Pagination page={result.page} totalPages={totalPages(result.total, result.pageSize)} hrefFor={(p) => here({ page: p })} />
        </>
      ) : filtered || page > 1 ? (
        <EmptyState
          title={status === "dead" ? "No dead deliveries" : status ? `No ${status.replace("_", " ")} deliveries` : "No deliveries match"}
          description={status === "dead" ? "Every delivery matching these filters either went through or is still being tried." : "No delivery matches these filters on this page. Try other filters, or clear them."}
        />
      ) : (
        <EmptyState
          title="No deliveries yet"
          description="A delivery appears here when a change in one system has to be sent to another: after a sync run, a webhook, a resolved conflict or a new link. It shows the system's answer, the attempts and, when one failed, when Concord tries again."
        />
      )}
    </>
  );
}
