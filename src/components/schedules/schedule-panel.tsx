import Link from "next/link";
import type { ReactNode } from "react";
import type { TScheduleView } from "~/server/services/schedules/schedule-view";
import { StatusBadge } from "../console/status-badge";
import { DateTime } from "../date-time";
import { kindLabel } from "../runs/run-labels";
import { linkClass } from "../styles";
import { ScheduleForm } from "./schedule-form";
import { ZonedTime } from "./zoned-time";

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">{term}</dt>
      <dd className="mt-0.5 text-sm text-zinc-900 [overflow-wrap:anywhere]">{children}</dd>
    </div>
  );
}

const none = (text: string) => <span className="text-zinc-500">{text}</span>;

const KIND_TEXT = { incremental: "Incremental: what changed since the last run", full: "Full: every record" } as const;

/** One binding's schedule: the expression and what it means, the next five times, and (for admins) the form. */
export function SchedulePanel({ schedule: s, canManage, timezoneListId }: { schedule: TScheduleView; canManage: boolean; timezoneListId?: string }) {
  const slug = `${s.entity}-${s.system}`;
  const title = `${s.entityLabel.toLowerCase()} in ${s.systemName}`;
  const status = s.cron === null ? "not scheduled" : s.enabled ? "enabled" : "disabled";
  return (
    <section aria-labelledby={`schedule-${slug}-title`} data-schedule={`${s.entity}:${s.system}`} className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm sm:p-6">
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h3 id={`schedule-${slug}-title`} className="text-base font-semibold text-zinc-900">
          Schedule of {title}
        </h3>
        <span data-testid="schedule-status">
          <StatusBadge status={status} />
        </span>
        {s.isDefault ? (
          <span data-testid="schedule-default" className="inline-flex rounded-full bg-sky-100 px-2 py-0.5 text-xs font-medium whitespace-nowrap text-sky-900">
            default catch-up
          </span>
        ) : null}
      </header>
      {s.isDefault ? (
        <p className="mt-2 max-w-3xl text-sm text-zinc-600">
          Concord made this schedule because this system sends changes: it picks up what a sender dropped while Concord was down (a start after
          downtime also runs it at once). It reads nothing until this pair has had a first full run. Edit or disable it like any other; Concord
          never changes it back.
        </p>
      ) : null}
      <div className={`mt-4 grid grid-cols-1 gap-6 ${canManage ? "lg:grid-cols-2" : ""}`}>
        <div className="min-w-0 space-y-4">
          <dl className="grid grid-cols-1 gap-x-6 gap-y-3 sm:grid-cols-2">
            <Fact term="Cron expression">
              {s.cron ? <code data-testid="schedule-cron" className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs">{s.cron}</code> : none("Not scheduled yet")}
            </Fact>
            <Fact term="Means">
              <span data-testid="schedule-explanation">{s.cron ? (s.explanation ?? none("No plain-language reading for this expression")) : none("—")}</span>
            </Fact>
            <Fact term="Kind">
              <span data-testid="schedule-kind">{KIND_TEXT[s.kind]}</span>
            </Fact>
            <Fact term="Timezone">{s.timezone}</Fact>
            <Fact term="Enabled">
              <span data-testid="schedule-enabled">{s.enabled ? "Yes" : "No"}</span>
              {s.cron && !s.enabled ? <span className="text-zinc-500"> (starts nothing)</span> : null}
            </Fact>
            <Fact term="Next run">
              <span data-testid="schedule-next-run">
                {s.nextRunAt ? <ZonedTime value={s.nextRunAt} timeZone={s.timezone} /> : none(s.cron ? "None while disabled" : "—")}
              </span>
            </Fact>
            <Fact term="Last scheduled run">
              {s.lastRun ? (
                <>
                  <Link href={`/runs/${s.lastRun.id}`} className={linkClass}>
                    {kindLabel(s.lastRun.kind)}
                  </Link>{" "}
                  <StatusBadge status={s.lastRun.status} /> <span className="text-zinc-600"><DateTime value={s.lastRun.createdAt} /></span>
                </>
              ) : (
                none("None yet")
              )}
            </Fact>
          </dl>
          <div>
            <h4 id={`schedule-${slug}-upcoming`} className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">
              Next {s.upcoming.length || 5} times the expression fires
            </h4>
            {s.upcoming.length ? (
              <ol aria-labelledby={`schedule-${slug}-upcoming`} data-testid="schedule-upcoming" className="mt-1 list-decimal space-y-0.5 pl-5 text-sm text-zinc-900 tabular-nums">
                {s.upcoming.map((t) => (
                  <li key={t.toISOString()}>
                    <ZonedTime value={t} timeZone={s.timezone} />
                  </li>
                ))}
              </ol>
            ) : (
              <p className="mt-1 text-sm text-zinc-500">{s.cron ? "The expression never fires." : "Set a cron expression to see when it would run."}</p>
            )}
            {s.upcoming.length > 0 && !s.enabled ? <p className="mt-1 text-xs text-zinc-500">Shown for reference: nothing runs while the schedule is disabled.</p> : null}
          </div>
        </div>
        {canManage ? (
          <div className="min-w-0 border-t border-zinc-200 pt-4 lg:border-t-0 lg:border-l lg:pt-0 lg:pl-6">
            <ScheduleForm
              entity={s.entity}
              system={s.system}
              title={title}
              cron={s.cron}
              timezone={s.timezone}
              kind={s.kind}
              enabled={s.enabled}
              incrementalPossible={s.incrementalPossible}
              timezoneListId={timezoneListId}
            />
          </div>
        ) : null}
      </div>
    </section>
  );
}
