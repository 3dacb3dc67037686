import Link from "next/link";
import type { TScheduleView } from "~/server/services/schedules/schedule-view";
import { StatusBadge } from "../console/status-badge";
import { DateTime } from "../date-time";
import { TableHead, TableRegion, tdClass } from "../table-region";

/** Every schedule on one line; each opens its system's page, where it is edited. */
export function SchedulesTable({ schedules }: { schedules: TScheduleView[] }) {
  return (
    <TableRegion label="Schedules">
      <table className="min-w-full divide-y divide-zinc-200">
        <TableHead columns={["Reads", "When", "Kind", "Status", "Next run"]} />
        <tbody className="divide-y divide-zinc-100">
          {schedules.map((s) => (
            <tr key={`${s.entity}:${s.system}`} data-schedule={`${s.entity}:${s.system}`}>
              <th scope="row" className={`${tdClass} text-left font-normal`}>
                <Link href={`/systems/${encodeURIComponent(s.system)}#schedules-title`} className="font-medium text-indigo-700 underline-offset-4 hover:underline">
                  {s.entityLabel} in {s.systemName}
                </Link>
              </th>
              <td className={`${tdClass} min-w-[12rem]`}>
                {s.cron ? (
                  <>
                    {s.explanation ?? s.cron}
                    <span className="block font-mono text-xs text-zinc-500">
                      {s.cron} · {s.timezone}
                      {s.isDefault ? " · default catch-up" : ""}
                    </span>
                  </>
                ) : (
                  <span className="text-zinc-500">not scheduled</span>
                )}
              </td>
              <td className={`${tdClass} text-zinc-700`}>{s.cron ? s.kind : <span className="text-zinc-400">—</span>}</td>
              <td className={tdClass}>{s.cron ? <StatusBadge status={s.enabled ? "enabled" : "disabled"} /> : <span className="text-zinc-400">—</span>}</td>
              <td className={`${tdClass} whitespace-nowrap text-zinc-700`}>{s.nextRunAt ? <DateTime value={s.nextRunAt} /> : <span className="text-zinc-400">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
