import type { Metadata } from "next";
import Link from "next/link";
import { hrefWith, pageParam, param, totalPages, type SearchParams } from "~/components/console/params";
import { LinkTabs } from "~/components/console/tabs";
import { NearMatchSettingForm } from "~/components/duplicates/near-match-setting-form";
import { PossibleDuplicates } from "~/components/duplicates/possible-duplicates";
import { EmptyState } from "~/components/empty-state";
import { AcceptAllButton } from "~/components/links/accept-all-button";
import { AcceptSelected } from "~/components/links/accept-selected";
import { DocumentMatches } from "~/components/links/document-matches";
import { LinkedSearch } from "~/components/links/linked-search";
import { LabelledPagination } from "~/components/links/labelled-pagination";
import { LinkedTable } from "~/components/links/linked-table";
import { LinksSectionTabs } from "~/components/links/section-tabs";
import { SuggestionsTable } from "~/components/links/suggestions-table";
import { UnlinkedTables } from "~/components/links/unlinked-tables";
import { PageHeader } from "~/components/page-header";
import { Pagination } from "~/components/pagination";
import { linkClass } from "~/components/styles";
import { serverCaller } from "~/trpc/server";
import { entityBindings } from "../_lib/bindings";
import { plainMessage } from "../_lib/errors";
import { requireSession } from "../session";

export const metadata: Metadata = { title: "Links" };

const PAGE_SIZE = 50;
const LINKED_PAGE_SIZE = 25;

export default async function LinksPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await requireSession();
  const isAdmin = session.user.role === "admin";
  const sp = await searchParams;
  const page = pageParam(sp);
  const lpage = pageParam(sp, "lpage");
  const q = param(sp, "q");
  const caller = await serverCaller();
  const systems = await caller.systems.list();
  const bindings = entityBindings();
  const bound = systems.filter((s) => bindings.some((b) => b.system === s.key));
  const system = bound.find((s) => s.key === param(sp, "system")) ?? bound.find((s) => s.key === "cms") ?? bound[0];
  const systemNames = Object.fromEntries(systems.map((s) => [s.key, s.name]));

  const header = (
    <PageHeader
      title="Links"
      description="Which document in a system is the same business record in Concord. Records that existed before Concord are matched here: by the same key (score 1.0) or a similar name. Links can be removed or moved; nothing is deleted anywhere."
    />
  );
  if (!system) {
    return (
      <>
        {header}
        <LinksSectionTabs current="linking" />
        <EmptyState title="No systems to link" description="The sync configuration binds no entity to any system, so there is nothing to link." />
      </>
    );
  }

  const entities = [...new Set(bindings.filter((b) => b.system === system.key).map((b) => b.entity))];
  const entity = entities.find((e) => e === param(sp, "entity")) ?? entities[0]!;
  const [held, holdSetting] = await Promise.all([
    caller.duplicates.list({ system: system.key, pageSize: 200 }),
    caller.duplicates.holdSetting({ entity, system: system.key }),
  ]);
  const heldHere = held.items.filter((i) => i.entity === entity);
  // Matching before any run: this system's unlinked documents against each system that may create records.
  const sources = bindings.filter((b) => b.entity === entity && b.system !== system.key && b.creates).map((b) => b.system);
  const matched = await Promise.all(sources.map((from) => caller.links.matches({ entity, system: system.key, from }).then((m) => ({ from, matches: m }), () => ({ from, matches: [] }))));
  const [suggested, unlinked, linked] = await Promise.allSettled([
    caller.links.suggestions({ entity, system: system.key }),
    caller.links.unlinked({ entity, system: system.key, page, pageSize: PAGE_SIZE }),
    caller.links.linked({ entity, system: system.key, search: q || undefined, page: lpage, pageSize: LINKED_PAGE_SIZE }),
  ]);
  const failure = suggested.status === "rejected" ? suggested.reason : unlinked.status === "rejected" ? unlinked.reason : null;
  const suggestions = suggested.status === "fulfilled" ? suggested.value : [];
  const exact = [...new Map(suggestions.filter((s) => s.candidates[0]?.score === 1).map((s) => [s.candidates[0]!.recordId, { recordId: s.candidates[0]!.recordId, system: s.system, externalId: s.externalId }])).values()].slice(0, 500);
  const data = unlinked.status === "fulfilled" ? unlinked.value : null;
  const here = { system: system.key, entity, q };

  return (
    <>
      {header}
      <LinksSectionTabs current="linking" entity={entity} />
      <LinkTabs label="System" tabs={bound.map((s) => ({ href: hrefWith("/links", { system: s.key }), label: s.name, current: s.key === system.key }))} />
      <p className="mb-4 text-sm text-zinc-600">
        Entity: <span className="font-medium text-zinc-900">{entity}</span>
        {entities.length > 1 ? <> (also {entities.filter((e) => e !== entity).map((e) => <Link key={e} href={hrefWith("/links", { system: system.key, entity: e })} className={`${linkClass} ml-1`}>{e}</Link>)})</> : null}
      </p>

      {failure ? (
        <div role="alert" className="mb-6 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          <p className="font-semibold">Could not read {system.name}</p>
          <p className="mt-1 [overflow-wrap:anywhere]" data-testid="links-error">{plainMessage(failure)}</p>
          <p className="mt-2">
            Check its connection on the <Link href="/systems" className={linkClass}>Systems</Link> page.
          </p>
        </div>
      ) : null}

      <section aria-labelledby="duplicates-title" className="mb-8 space-y-3">
        <h2 id="duplicates-title" className="text-lg font-semibold text-zinc-900">
          Possible duplicates <span className="font-normal text-zinc-600">({heldHere.length})</span>
        </h2>
        <NearMatchSettingForm entity={entity} system={system.key} systemName={system.name} hold={holdSetting.hold} minScore={holdSetting.minScore} canEdit={isAdmin} />
        {heldHere.length ? (
          <PossibleDuplicates items={heldHere} systemName={system.name} canDecide={isAdmin} />
        ) : (
          <p className="text-sm text-zinc-600">None waiting. A full run that would create a record resembling an unlinked document in {system.name} holds it here instead of creating it.</p>
        )}
      </section>

      {matched.filter((m) => m.matches.length).map((m) => (
        <section key={m.from} aria-labelledby={`matches-${m.from}`} className="mb-8 space-y-3">
          <h2 id={`matches-${m.from}`} className="text-lg font-semibold text-zinc-900">Matches with {systemNames[m.from] ?? m.from}</h2>
          <p className="text-sm text-zinc-600">Read from both systems now, before any run: documents that are probably the same {entity}. Linking a pair makes one Concord record linked in both; nothing is created.</p>
          <DocumentMatches entity={entity} system={system.key} from={m.from} systemName={system.name} fromName={systemNames[m.from] ?? m.from} matches={m.matches} canLink={isAdmin} />
        </section>
      ))}

      {suggested.status === "fulfilled" ? (
        <section aria-labelledby="suggestions-title" className="mb-8 space-y-3">
          <h2 id="suggestions-title" className="text-lg font-semibold text-zinc-900">Suggested links</h2>
          {isAdmin ? <AcceptAllButton items={exact} /> : null}
          {suggestions.length === 0 ? (
            <EmptyState title="No suggestions" description={`No unlinked document in ${system.name} looks like an unlinked Concord record: nothing to match by key or name.`} />
          ) : isAdmin ? (
            <AcceptSelected system={system.key}>
              <SuggestionsTable suggestions={suggestions} canLink />
            </AcceptSelected>
          ) : (
            <SuggestionsTable suggestions={suggestions} canLink={false} />
          )}
        </section>
      ) : null}

      {data ? (
        <section aria-labelledby="unlinked-title" className="mb-8 space-y-3">
          <h2 id="unlinked-title" className="text-lg font-semibold text-zinc-900">Not linked</h2>
          {data.documents.total === 0 && data.records.total === 0 ? (
            <EmptyState title="Everything is linked" description={`Every ${entity} document in ${system.name} is linked to a Concord record, and every live record is linked there.`} />
          ) : (
            <>
              <UnlinkedTables data={data} systemName={system.name} systemNames={systemNames} canLink={isAdmin} />
              <Pagination page={page} totalPages={totalPages(Math.max(data.documents.total, data.records.total), PAGE_SIZE)} hrefFor={(p) => hrefWith("/links", { ...here, page: p, lpage })} />
            </>
          )}
        </section>
      ) : null}

      <section aria-labelledby="linked-title" className="space-y-3">
        <h2 id="linked-title" className="text-lg font-semibold text-zinc-900">
          Linked in {system.name}
          {linked.status === "fulfilled" ? <span className="font-normal text-zinc-600"> ({linked.value.total})</span> : null}
        </h2>
        <LinkedSearch system={system.key} entity={entity} q={q} />
        {linked.status === "rejected" ? (
          <p role="alert" className="text-sm text-red-700">{plainMessage(linked.reason)}</p>
        ) : linked.value.items.length ? (
          <>
            <LinkedTable data={linked.value} system={system.key} systemName={system.name} canEdit={isAdmin} />
            <LabelledPagination label="Pages of linked records" page={lpage} totalPages={totalPages(linked.value.total, LINKED_PAGE_SIZE)} hrefFor={(p) => hrefWith("/links", { ...here, page, lpage: p })} />
          </>
        ) : (
          <EmptyState title={q ? "No linked record matches" : `Nothing linked in ${system.name} yet`} description={q ? "No linked record has that name, key or id. Try another, or clear the search." : `Records appear here once they are linked to a document in ${system.name}: by a sync, by the same key, or by hand above.`} />
        )}
      </section>
    </>
  );
}
