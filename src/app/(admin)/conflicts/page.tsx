import type { Metadata } from "next";
import { BulkResolve } from "~/components/conflicts/bulk-resolve";
import { ConflictCard } from "~/components/conflicts/conflict-card";
import { ConflictFilters } from "~/components/conflicts/conflict-filters";
import { LiveRefresh } from "~/components/conflicts/live-refresh";
import { hrefWith, pageParam, param, totalPages, type SearchParams } from "~/components/console/params";
import { LinkTabs } from "~/components/console/tabs";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { Pagination } from "~/components/pagination";
import { serverCaller } from "~/trpc/server";
import { entityKeys } from "../_lib/bindings";
import { requireSession } from "../session";

export const metadata: Metadata = { title: "Conflicts" };

const PAGE_SIZE = 20;

export default async function ConflictsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await requireSession();
  const isAdmin = session.user.role === "admin";
  const sp = await searchParams;
  const status = param(sp, "status") === "resolved" ? "resolved" : "open";
  const entities = entityKeys();
  const caller = await serverCaller();
  const systems = await caller.systems.list();
  const entity = entities.find((e) => e === param(sp, "entity")) ?? "";
  const system = systems.find((s) => s.key === param(sp, "system"))?.key ?? "";
  const filter = { entity: entity || undefined, system: system || undefined };
  const page = pageParam(sp);

  const other = status === "open" ? "resolved" : "open";
  const [result, otherResult] = await Promise.all([
    caller.conflicts.list({ ...filter, status, page, pageSize: PAGE_SIZE }),
    caller.conflicts.list({ ...filter, status: other, page: 1, pageSize: 1 }),
  ]);
  const totals = { [status]: result.total, [other]: otherResult.total } as Record<"open" | "resolved", number>;
  const systemNames = Object.fromEntries(systems.map((s) => [s.key, s.name]));
  const filtered = Boolean(entity || system);
  const hrefFor = (s: "open" | "resolved", p = 1) => hrefWith("/conflicts", { status: s === "resolved" ? "resolved" : "", entity, system, page: p });
  const scope = [entity ? `of ${entity}` : "", system ? `involving ${systemNames[system] ?? system}` : ""].filter(Boolean).join(", ");

  const cards = result.items.map((c) => <ConflictCard key={c.id} conflict={c} systemNames={systemNames} canResolve={isAdmin} />);
  const results = result.items.length > 0 ? (
    <>
      <p className="mb-3 text-sm text-zinc-600" aria-live="polite">
        {result.total} {status} {result.total === 1 ? "conflict" : "conflicts"}
        {filtered ? (result.total === 1 ? " matches these filters" : " match these filters") : ""}, newest first.
        {status === "open" && !isAdmin ? " Only admins can resolve conflicts." : ""}
      </p>
      <div className="space-y-4">{cards}</div>
      <Pagination page={result.page} totalPages={totalPages(result.total, result.pageSize)} hrefFor={(p) => hrefFor(status, p)} />
    </>
  ) : page > 1 ? (
    <EmptyState title="Nothing on this page" description="There are fewer conflicts than this page number suggests. Go back to the first page." />
  ) : filtered ? (
    <EmptyState title={`No ${status} conflicts match`} description="No conflict matches these filters. Try others, or clear them." />
  ) : status === "open" ? (
    <EmptyState
      title="No open conflicts"
      description="A conflict appears here when two systems change the same field of a linked record to different values between syncs and the entity's policy holds it for an admin. It shows the last agreed value and both new ones side by side, so an admin can decide which wins."
    />
  ) : (
    <EmptyState title="No resolved conflicts yet" description="Conflicts a policy settled (the later change won) and those an admin decided appear here, with the value that won and who chose it." />
  );

  return (
    <>
      <LiveRefresh />
      <PageHeader
        title="Conflicts"
        description="Fields that two systems changed to different values since they last agreed. A policy settles most of them (the later change wins); an admin decides the ones it holds, and may reverse what the policy chose."
      />
      <LinkTabs
        label="Conflict status"
        tabs={[
          { href: hrefFor("open"), label: `Open (${totals.open})`, current: status === "open" },
          { href: hrefFor("resolved"), label: `Resolved (${totals.resolved})`, current: status === "resolved" },
        ]}
      />
      <ConflictFilters values={{ status, entity, system }} systems={systems.map((s) => ({ key: s.key, name: s.name }))} entities={entities} />
      {status === "open" && isAdmin ? (
        <BulkResolve visibleIds={result.items.map((c) => c.id)} total={result.total} filter={filter} scope={scope}>
          {results}
        </BulkResolve>
      ) : (
        results
      )}
    </>
  );
}
