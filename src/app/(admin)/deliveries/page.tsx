import type { Metadata } from "next";
import { hrefWith, pageParam, param, totalPages, type SearchParams } from "~/components/console/params";
import { DeliveriesTable } from "~/components/deliveries/deliveries-table";
import { DeliveryFilters, DELIVERY_STATUSES } from "~/components/deliveries/delivery-filters";
import { ReplayDeadButton } from "~/components/deliveries/replay-dead-button";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { Pagination } from "~/components/pagination";
import { serverCaller } from "~/trpc/server";
import { entityKeys } from "../_lib/bindings";
import { requireSession } from "../session";

export const metadata: Metadata = { title: "Deliveries" };

const PAGE_SIZE = 50;

export default async function DeliveriesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await requireSession();
  const isAdmin = session.user.role === "admin";
  const sp = await searchParams;
  const status = DELIVERY_STATUSES.find((s) => s === param(sp, "status"));
  const filters = { status: status ?? "", system: param(sp, "system"), entity: param(sp, "entity") };
  const scope = { system: filters.system || undefined, entity: filters.entity || undefined };
  const page = pageParam(sp);

  const caller = await serverCaller();
  const offerReplay = isAdmin && (!status || status === "dead");
  const [result, systems, dead] = await Promise.all([
    caller.deliveries.list({ ...scope, status: status ? [status] : undefined, page, pageSize: PAGE_SIZE }),
    caller.systems.list(),
    offerReplay ? caller.deliveries.list({ ...scope, status: ["dead"], page: 1, pageSize: 1 }) : null,
  ]);
  const systemNames = Object.fromEntries(systems.map((s) => [s.key, s.name]));
  const filtered = Boolean(filters.status || filters.system || filters.entity);
  const scopeText = [scope.system ? `to ${systemNames[scope.system] ?? scope.system}` : "", scope.entity ? `of ${scope.entity}` : ""].filter(Boolean).join(", ");

  return (
    <>
      <PageHeader
        title="Deliveries"
        description="Each change Concord sends to a system, every attempt and the system's answer. A delivery that used up its retries is dead: fix the cause, then replay it."
      />
      <DeliveryFilters values={filters} systems={systems.map((s) => ({ key: s.key, name: s.name }))} entities={entityKeys()} />
      {dead ? <ReplayDeadButton filter={scope} count={dead.total} scope={scopeText} /> : null}
      {result.items.length > 0 ? (
        <>
          <p className="mb-2 text-sm text-zinc-600" aria-live="polite">
            {result.total} {result.total === 1 ? "delivery" : "deliveries"}
            {filtered ? " match these filters" : ""}, newest first
          </p>
          <DeliveriesTable items={result.items} systemNames={systemNames} />
          <Pagination page={result.page} totalPages={totalPages(result.total, result.pageSize)} hrefFor={(p) => hrefWith("/deliveries", { ...filters, page: p })} />
        </>
      ) : filtered || page > 1 ? (
        <EmptyState
          title={status === "dead" ? "No dead deliveries" : "No deliveries match"}
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
