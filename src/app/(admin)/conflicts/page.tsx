import type { Metadata } from "next";
import { ConflictCard } from "~/components/conflicts/conflict-card";
import { hrefWith, pageParam, param, totalPages, type SearchParams } from "~/components/console/params";
import { LinkTabs } from "~/components/console/tabs";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { Pagination } from "~/components/pagination";
import { serverCaller } from "~/trpc/server";
import { requireSession } from "../session";

export const metadata: Metadata = { title: "Conflicts" };

const PAGE_SIZE = 20;

export default async function ConflictsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await requireSession();
  const isAdmin = session.user.role === "admin";
  const sp = await searchParams;
  const status = param(sp, "status") === "resolved" ? "resolved" : "open";
  const page = pageParam(sp);

  const caller = await serverCaller();
  const other = status === "open" ? "resolved" : "open";
  const [result, otherResult, systems] = await Promise.all([
    caller.conflicts.list({ status, page, pageSize: PAGE_SIZE }),
    caller.conflicts.list({ status: other, page: 1, pageSize: 1 }),
    caller.systems.list(),
  ]);
  const totals = { [status]: result.total, [other]: otherResult.total } as Record<"open" | "resolved", number>;
  const systemNames = Object.fromEntries(systems.map((s) => [s.key, s.name]));

  return (
    <>
      <PageHeader
        title="Conflicts"
        description="Fields that two systems changed to different values since they last agreed. Concord holds such a field (it is not sent anywhere) until an admin decides which value wins."
      />
      <LinkTabs
        label="Conflict status"
        tabs={[
          { href: "/conflicts", label: `Open (${totals.open})`, current: status === "open" },
          { href: "/conflicts?status=resolved", label: `Resolved (${totals.resolved})`, current: status === "resolved" },
        ]}
      />
      {result.items.length > 0 ? (
        <>
          {status === "open" && !isAdmin ? <p className="mb-3 text-sm text-zinc-600">Only admins can resolve conflicts.</p> : null}
          <div className="space-y-4">
            {result.items.map((c) => (
              <ConflictCard key={c.id} conflict={c} systemNames={systemNames} canResolve={isAdmin} />
            ))}
          </div>
          <Pagination page={result.page} totalPages={totalPages(result.total, result.pageSize)} hrefFor={(p) => hrefWith("/conflicts", { status: status === "resolved" ? "resolved" : "", page: p })} />
        </>
      ) : page > 1 ? (
        <EmptyState title="Nothing on this page" description="There are fewer conflicts than this page number suggests. Go back to the first page." />
      ) : status === "open" ? (
        <EmptyState
          title="No open conflicts"
          description="A conflict appears here when two systems change the same field of a linked record to different values between syncs. It shows the last agreed value and both new ones side by side, so an admin can decide which wins."
        />
      ) : (
        <EmptyState title="No resolved conflicts yet" description="Once an admin settles a conflict it moves here, with the value that won and who chose it." />
      )}
    </>
  );
}
