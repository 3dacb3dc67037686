import type { Metadata } from "next";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { SchedulesTable } from "~/components/schedules/schedules-table";
import { OwnershipLegend, OwnershipMatrix } from "~/components/systems/ownership-matrix";
import { SystemsTable } from "~/components/systems/systems-table";
import { serverCaller } from "~/trpc/server";
import { requireSession } from "../session";
import { ValueMaps } from "~/components/fleet/value-map-editor";

export const metadata: Metadata = { title: "Systems" };

export default async function SystemsPage() {
  const session = await requireSession();
  const isAdmin = session.user.role === "admin";
  const caller = await serverCaller();
  const [systems, schedules, ownership] = await Promise.all([caller.systems.list(), caller.schedules.list(), caller.systems.ownership({})]);
  // In the order of the system cards, then the configuration's order within a system.
  const ordered = systems.flatMap((s) => schedules.filter((x) => x.system === s.key));
  const systemNames = Object.fromEntries(systems.map((s) => [s.key, s.name]));

  return (
    <>
      <PageHeader
        title="Systems"
        description={
          isAdmin
            ? "The external systems Concord keeps in agreement, who owns which field and when each is read on a schedule. Open a system to change its connection, credential, webhook secret or schedules, or to test it. Secrets are write-only: only whether one is set, and a mask, ever comes back."
            : "The external systems Concord keeps in agreement, who owns which field and when each is read on a schedule. Open a system for its details. Only admins can change these settings."
        }
      />
      {systems.length > 0 ? (
        <SystemsTable systems={systems} />
      ) : (
        <EmptyState
          title="No systems configured"
          description="Concord's sync configuration names no systems, so there is nothing to connect. Systems are defined in the configuration that ships with Concord."
        />
      )}

      {ownership.length > 0 ? (
        <section aria-labelledby="ownership-title" className="mt-10 space-y-3">
          <div className="space-y-2">
            <h2 id="ownership-title" className="text-lg font-semibold text-zinc-900">Field ownership</h2>
            <p className="max-w-3xl text-sm text-zinc-600">
              For each entity, who may change each field in each system, as the sync configuration says, with the field&apos;s own name there.
            </p>
            <OwnershipLegend />
          </div>
          {ownership.map((m) => (
            <details key={m.entity} className="group rounded-lg border border-zinc-200 bg-white p-3 shadow-sm sm:p-4">
              <summary className="cursor-pointer text-sm font-medium text-indigo-700 hover:text-indigo-900">
                {m.entityLabel}: {m.rows.filter((r) => !r.key.startsWith("id:")).length} fields in {m.systems.map((s) => s.name).join(", ")}
              </summary>
              <div className="mt-3">
                <OwnershipMatrix matrix={m} systemNames={systemNames} />
              </div>
            </details>
          ))}
        </section>
      ) : null}

      <section aria-labelledby="value-maps-title" className="mt-10 space-y-3">
        <div>
          <h2 id="value-maps-title" className="text-lg font-semibold text-zinc-900">Value mappings</h2>
          <p className="mt-1 max-w-3xl text-sm text-zinc-600">
            How one system&apos;s values become another&apos;s as records sync (the Onboarding Portal&apos;s roles become Maintenance Portal roles).
            {isAdmin ? " A change applies to the next records that sync." : " Only admins can change them."}
          </p>
        </div>
        <ValueMaps canEdit={isAdmin} />
      </section>

      {ordered.length > 0 ? (
        <section aria-labelledby="schedules-title" className="mt-10 space-y-3">
          <div>
            <h2 id="schedules-title" className="text-lg font-semibold text-zinc-900">Schedules</h2>
            <p className="mt-1 max-w-3xl text-sm text-zinc-600">
              When Concord reads each system on its own, besides webhooks and runs started by hand: an incremental run reads what changed since the last
              one, a full run reads every record. Each system that sends changes gets a default catch-up schedule (incremental, every five minutes).{" "}
              {isAdmin ? "Open one to change it on its system's page." : "Only admins can change schedules."}
            </p>
          </div>
          <SchedulesTable schedules={ordered} />
        </section>
      ) : null}
    </>
  );
}
