import type { Metadata } from "next";
import { AuditFilters } from "~/components/audit/audit-filters";
import { AuditTable } from "~/components/audit/audit-table";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { Pagination } from "~/components/pagination";
import { serverCaller } from "~/trpc/server";
import { requireSession } from "../session";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 25;

type SearchParams = Record<string, string | string[] | undefined>;

function param(sp: SearchParams, key: string): string {
  const v = sp[key];
  return (Array.isArray(v) ? v[0] : v)?.trim().slice(0, 200) ?? "";
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireSession();
  const sp = await searchParams;
  const actor = param(sp, "actor");
  const action = param(sp, "action");
  const requested = Number.parseInt(param(sp, "page"), 10);
  const page = Number.isFinite(requested) ? Math.min(Math.max(requested, 1), 100_000) : 1;

  const caller = await serverCaller();
  const result = await caller.audit.list({ actor: actor || undefined, action: action || undefined, page, pageSize: PAGE_SIZE });
  const totalPages = Math.max(1, Math.ceil(result.total / result.pageSize));
  const filtered = Boolean(actor || action);

  const hrefFor = (p: number) => {
    const q = new URLSearchParams();
    if (actor) q.set("actor", actor);
    if (action) q.set("action", action);
    if (p > 1) q.set("page", String(p));
    const s = q.toString();
    return s ? `/audit?${s}` : "/audit";
  };

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Who changed what in Concord and when, newest first: user management, settings and, later, sync actions taken by admins."
      />
      <AuditFilters actor={actor} action={action} actions={result.actions} />
      {result.items.length > 0 ? (
        <>
          <p className="mb-2 text-sm text-zinc-600" aria-live="polite">
            {result.total} {result.total === 1 ? "entry" : "entries"}
            {filtered ? " match these filters" : ""}
          </p>
          <AuditTable items={result.items} />
          <Pagination page={result.page} totalPages={totalPages} hrefFor={hrefFor} />
        </>
      ) : filtered || page > 1 ? (
        <EmptyState
          title="No entries match"
          description="Nothing in the audit log matches these filters on this page. Try another actor or action, or clear the filters."
        />
      ) : (
        <EmptyState
          title="The audit log is empty"
          description="Every change made through Concord (creating users, changing roles, disabling accounts, changing passwords) is recorded here with who made it and the values before and after."
        />
      )}
    </>
  );
}
