import type { Metadata } from "next";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { SchedulePanel } from "~/components/schedules/schedule-panel";
import { SystemCard } from "~/components/systems/system-card";
import { serverCaller } from "~/trpc/server";
import { requireSession } from "../session";

export const metadata: Metadata = { title: "Systems" };

const TIMEZONES_LIST = "schedule-timezones";

/** Every IANA timezone this runtime knows, for the schedule forms' suggestions. */
function timezones(): string[] {
  try {
    return ["UTC", ...Intl.supportedValuesOf("timeZone").filter((z) => z !== "UTC")];
  } catch {
    return ["UTC"];
  }
}

export default async function SystemsPage() {
  const session = await requireSession();
  const isAdmin = session.user.role === "admin";
  const caller = await serverCaller();
  const [systems, schedules] = await Promise.all([caller.systems.list(), caller.schedules.list()]);
  // In the order of the system cards, then the configuration's order within a system.
  const ordered = systems.flatMap((s) => schedules.filter((x) => x.system === s.key));

  return (
    <>
      <PageHeader
        title="Systems"
        description={
          isAdmin
            ? "The external systems Concord keeps in agreement, how each one is connected and when it is read on a schedule. Secrets are write-only: only whether one is set, and a mask, ever comes back."
            : "The external systems Concord keeps in agreement, how each one is connected and when it is read on a schedule. Only admins can change these settings."
        }
      />
      {systems.length > 0 ? (
        <div className="space-y-6">
          {systems.map((s) => (
            <SystemCard key={s.key} system={s} canManage={isAdmin} />
          ))}
        </div>
      ) : (
        <EmptyState
          title="No systems configured"
          description="Concord's sync configuration names no systems, so there is nothing to connect. Systems are defined in the configuration that ships with Concord."
        />
      )}

      {ordered.length > 0 ? (
        <section aria-labelledby="schedules-title" className="mt-10 space-y-4">
          <div>
            <h2 id="schedules-title" className="text-lg font-semibold text-zinc-900">Schedules</h2>
            <p className="mt-1 max-w-3xl text-sm text-zinc-600">
              When Concord reads each system on its own, besides webhooks and runs started by hand: an incremental run reads what changed since the last
              one, a full run reads every record.{" "}
              {isAdmin ? "Times are in the schedule's timezone." : "Times are in the schedule's timezone. Only admins can change schedules."}
            </p>
          </div>
          {isAdmin ? (
            <datalist id={TIMEZONES_LIST}>
              {timezones().map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          ) : null}
          {ordered.map((s) => (
            <SchedulePanel key={`${s.entity}:${s.system}`} schedule={s} canManage={isAdmin} timezoneListId={isAdmin ? TIMEZONES_LIST : undefined} />
          ))}
        </section>
      ) : null}
    </>
  );
}
