import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { hrefWith, param, type SearchParams } from "~/components/console/params";
import { PageHeader } from "~/components/page-header";
import { LinksTable } from "~/components/records/links-table";
import { LiveRefresh } from "~/components/records/live-refresh";
import { ReadLive } from "~/components/records/read-live";
import { Timeline } from "~/components/records/timeline";
import { TombstonePanel } from "~/components/records/tombstone-panel";
import { ValuesTable } from "~/components/records/values-table";
import { linkClass } from "~/components/styles";
import { serverCaller } from "~/trpc/server";
import { isMissing } from "../../_lib/errors";
import { requireSession } from "../../session";
import { ExportBundleButton } from "~/components/fleet/export-bundle-button";

export const metadata: Metadata = { title: "Record" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMELINE_PAGE = 25;

async function load(id: string, before: string | undefined) {
  const caller = await serverCaller();
  try {
    return await Promise.all([
      caller.records.page({ id }),
      caller.records.timeline({ id, before, limit: TIMELINE_PAGE }),
      caller.conflicts.list({ status: "open", recordId: id, pageSize: 20 }),
      caller.systems.list(),
    ]);
  } catch (err) {
    if (isMissing(err)) notFound();
    throw err;
  }
}

function Section({ id, title, children, description }: { id: string; title: string; description?: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="mt-8">
      <h2 id={id} className="text-lg font-semibold text-zinc-900">{title}</h2>
      {description ? <p className="mt-1 mb-3 max-w-3xl text-sm text-zinc-600">{description}</p> : <div className="mb-3" />}
      {children}
    </section>
  );
}

export default async function RecordPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const session = await requireSession();
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const sp = await searchParams;
  const before = /^\d{1,20}\.[1-6]\.[0-9a-f-]{1,40}$/.test(param(sp, "before")) ? param(sp, "before") : undefined;
  const [detail, timeline, open, systems] = await load(id, before);
  const { record, entity } = detail;
  const systemNames = Object.fromEntries(systems.map((s) => [s.key, s.name]));
  const held = Object.keys(record.held);
  const self = `/records/${id}`;

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={hrefWith("/records", { entity: entity.key, show: record.deleted ? "all" : "" })} className={linkClass}>← All {entity.label.toLowerCase()} records</Link>
      </p>
      <PageHeader
        title={record.label}
        description={
          <>
            {entity.label} · {entity.naturalKey} <span className="font-mono [overflow-wrap:anywhere]">{record.naturalKey}</span> · version {record.version} ·{" "}
            {record.deleted ? <span className="font-medium text-red-800">deleted</span> : "live"}
          </>
        }
      />
      <LiveRefresh recordId={id} />
      {entity.key === "vessel" && !record.deleted && detail.systems.some((s) => s.system === "onboarding") ? (
        <div className="mb-6">
          <ExportBundleButton vessel={id} name={record.label} />
        </div>
      ) : null}
      {detail.deletion ? (
        <TombstonePanel deletion={detail.deletion} label={record.label} id={id} canRestore={session.user.role === "admin"} systemNames={systemNames} now={new Date()} />
      ) : null}
      {held.length || open.total ? (
        <section aria-labelledby="held-title" className="mb-6 rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-950 sm:px-6">
          <h2 id="held-title" className="font-semibold">Waiting on {open.total === 1 ? "a conflict" : `${open.total} conflicts`}</h2>
          <p className="mt-1">
            {held.length ? <>Held fields (not sent anywhere until resolved): <span className="font-mono">{held.join(", ")}</span>. </> : null}
            {open.items.map((c) => `${c.field}: ${systemNames[c.theirsSystem] ?? c.theirsSystem} vs ${c.oursSystem ? (systemNames[c.oursSystem] ?? c.oursSystem) : "Concord"}`).join("; ")}
          </p>
          <p className="mt-2">
            <Link href="/conflicts" className={linkClass}>Resolve on the Conflicts page</Link>
          </p>
        </section>
      ) : null}

      <Section id="values-title" title="Values in each system" description="Concord's values beside those each system last agreed on with Concord, under that system's own field name. Read live to see what each system holds at this moment.">
        <ValuesTable detail={detail} systemNames={systemNames} />
        <div className="mt-4">
          <ReadLive id={id} fields={detail.fields} concord={record.data} systemNames={systemNames} />
        </div>
      </Section>

      <Section id="links-title" title="Links" description="This record's id in each system, and how Concord came to know it.">
        <LinksTable systems={detail.systems} systemNames={systemNames} />
      </Section>

      <Section id="timeline-title" title="History" description="Everything that happened to this record, newest first.">
        <Timeline
          items={timeline.items}
          olderHref={timeline.next ? hrefWith(self, { before: timeline.next }) : null}
          newestHref={before ? self : null}
          systemNames={systemNames}
        />
      </Section>
    </>
  );
}
