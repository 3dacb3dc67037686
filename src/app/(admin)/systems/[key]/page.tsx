import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { PageHeader } from "~/components/page-header";
import { RunsTable } from "~/components/runs/runs-table";
import { SchedulePanel } from "~/components/schedules/schedule-panel";
import { TimezoneList } from "~/components/schedules/timezone-list";
import { linkClass } from "~/components/styles";
import { OwnershipLegend, OwnershipMatrix } from "~/components/systems/ownership-matrix";
import { SystemCard } from "~/components/systems/system-card";
import { TestConnectionPanel } from "~/components/systems/test-connection-panel";
import { WebhookEventsTable } from "~/components/systems/webhook-events-table";
import { serverCaller } from "~/trpc/server";
import { isMissing } from "../../_lib/errors";
import { requireSession } from "../../session";

export const metadata: Metadata = { title: "System" };

const TIMEZONES_LIST = "schedule-timezones";

async function load(key: string) {
  const caller = await serverCaller();
  try {
    return await Promise.all([
      caller.systems.get({ key }),
      caller.systems.list(),
      caller.systems.ownership({ system: key }),
      caller.schedules.list({ system: key }),
      caller.runs.list({ system: key, page: 1, pageSize: 5 }),
      caller.webhooks.list({ system: key }),
    ]);
  } catch (err) {
    if (isMissing(err)) notFound();
    throw err;
  }
}

function Section({ id, title, description, children }: { id: string; title: string; description?: string; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-title`} className="mt-10 space-y-3">
      <h2 id={`${id}-title`} className="text-lg font-semibold text-zinc-900">{title}</h2>
      {description ? <p className="max-w-3xl text-sm text-zinc-600">{description}</p> : null}
      {children}
    </section>
  );
}

/** One system: its connection (and the controls for admins), a connection test, field ownership, schedules, webhook events that did not apply and recent runs. */
export default async function SystemPage({ params }: { params: Promise<{ key: string }> }) {
  const session = await requireSession();
  const isAdmin = session.user.role === "admin";
  const { key: raw } = await params;
  const key = decodeURIComponent(raw);
  if (!/^[a-z][a-z0-9-]{0,99}$/.test(key)) notFound();
  const [system, systems, ownership, schedules, recent, events] = await load(key);
  const systemNames = Object.fromEntries(systems.map((s) => [s.key, s.name]));
  const q = encodeURIComponent(key);

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/systems" className={linkClass}>← All systems</Link>
      </p>
      <PageHeader title={system.name} description={`How Concord reaches ${system.name}, which fields it owns, receives or keeps to itself, and when it is read.`}>
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          <li><Link href={`/runs?system=${q}`} className={linkClass}>Runs</Link></li>
          <li><Link href={`/deliveries?system=${q}`} className={linkClass}>Deliveries</Link></li>
          <li><Link href={`/deliveries?system=${q}&status=dead`} className={linkClass}>Dead deliveries ({system.deliveries.dead ?? 0})</Link></li>
          <li><a href="#webhook-events-title" className={linkClass}>Webhook events not applied ({events.failed + events.retrying})</a></li>
        </ul>
      </PageHeader>
      <SystemCard system={system} canManage={isAdmin} />

      <Section id="test" title="Test connection" description={`Checks, step by step, that ${system.name} answers, accepts the credential and lets Concord read a record. Reading changes nothing.`}>
        <TestConnectionPanel systemKey={system.key} name={system.name} canProbeWrite={isAdmin} />
      </Section>

      <Section id="ownership" title="Field ownership" description={`Each entity ${system.name} holds: who may change each field, in every system it lives in, with the field's own name there.`}>
        <OwnershipLegend />
        {ownership.length ? (
          ownership.map((m) => <OwnershipMatrix key={m.entity} matrix={m} systemNames={systemNames} highlight={system.key} />)
        ) : (
          <p className="text-sm text-zinc-600">The configuration binds no entity to {system.name}: nothing syncs with it.</p>
        )}
      </Section>

      <Section id="schedules" title="Schedules" description="When Concord reads this system on its own. Times are in each schedule's timezone.">
        {isAdmin ? <TimezoneList id={TIMEZONES_LIST} /> : null}
        {schedules.length ? (
          schedules.map((s) => <SchedulePanel key={`${s.entity}:${s.system}`} schedule={s} canManage={isAdmin} timezoneListId={isAdmin ? TIMEZONES_LIST : undefined} />)
        ) : (
          <p className="text-sm text-zinc-600">Nothing to schedule: no entity lives in {system.name}.</p>
        )}
      </Section>

      <Section
        id="webhook-events"
        title="Webhook events that did not apply"
        description={`Events ${system.name} sent that Concord stored but could not apply: retried on their own for about two minutes, then kept here until an admin replays or dismisses them.`}
      >
        {events.items.length ? (
          <>
            <p className="text-sm text-zinc-700">{events.failed} failed, {events.retrying} being retried{events.failed + events.retrying > events.items.length ? ` (the newest ${events.items.length} shown)` : ""}.</p>
            <WebhookEventsTable events={events.items} systemName={system.name} canManage={isAdmin} />
          </>
        ) : (
          <p className="text-sm text-zinc-600">Every webhook event from {system.name} has applied.</p>
        )}
      </Section>

      <Section id="recent" title="Recent runs">
        {recent.items.length ? (
          <>
            <RunsTable runs={recent.items} systemNames={systemNames} label={`Recent runs of ${system.name}`} />
            {recent.total > recent.items.length ? (
              <p className="text-sm"><Link href={`/runs?system=${q}`} className={linkClass}>All {recent.total} runs of {system.name}</Link></p>
            ) : null}
          </>
        ) : (
          <p className="text-sm text-zinc-600">No run has read {system.name} yet.</p>
        )}
      </Section>
    </>
  );
}
