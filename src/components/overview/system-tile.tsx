import Link from "next/link";
import type { ReactNode } from "react";
import type { TSystemHealth } from "~/server/services/overview/system-health";
import type { TSystemView } from "~/server/services/systems/system-view";
import { formatDuration } from "../console/format";
import { hrefWith } from "../console/params";
import { DateTime } from "../date-time";
import { HealthBadge } from "./health-tone";

const link = "font-medium text-indigo-700 underline-offset-4 hover:underline";
const percent = (r: number) => `${r === 0 ? 0 : r < 0.01 ? "<1" : Math.round(r * 100)} %`;

function Figure({ label, children, tone = "text-zinc-900" }: { label: string; children: ReactNode; tone?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className={`text-sm font-semibold tabular-nums ${tone}`}>{children}</dd>
    </div>
  );
}

/**
 * One system at a glance: its health (error rate and lag over the last hour, what waits to reach it and
 * for how long, when it last took a delivery), and where to look next.
 */
export function SystemTile({ system: s, health: h, now }: { system: TSystemView; health: TSystemHealth | undefined; now: Date }) {
  const titleId = `tile-${s.key}`;
  const q = h?.queue;
  return (
    <article aria-labelledby={titleId} data-system={s.key} className="flex flex-col rounded-lg border border-zinc-200 bg-white p-4 shadow-sm">
      <header className="flex items-center justify-between gap-2">
        <h3 id={titleId} className="font-semibold text-zinc-900">
          <Link href="/systems" className="hover:underline">{s.name}</Link>
        </h3>
        {h ? <HealthBadge state={h.state} /> : null}
      </header>
      {!s.baseUrl ? <p className="mt-1 text-xs text-amber-900">No base URL yet: runs and deliveries fail until one is set.</p> : null}
      {h ? (
        <dl className="mt-3 grid grid-cols-2 gap-x-3 gap-y-2">
          <Figure label="Waiting to send" tone={q!.total ? "text-zinc-900" : "text-zinc-500"}>
            {q!.total}
            {q!.total ? <span className="ml-1 text-xs font-normal text-zinc-600">({q!.pending} pending, {q!.retrying} retrying, {q!.in_flight} in flight)</span> : null}
          </Figure>
          <Figure label="Oldest waiting" tone={h.oldestWaitingAgeMs === null ? "text-zinc-500" : "text-zinc-900"}>
            {h.oldestWaitingAgeMs === null ? "none" : formatDuration(h.oldestWaitingAgeMs)}
          </Figure>
          <Figure label="Error rate, last hour" tone={h.failedAttempts ? "text-red-700" : h.attempts ? "text-zinc-900" : "text-zinc-500"}>
            {h.errorRate === null ? "no attempts" : `${percent(h.errorRate)} of ${h.attempts}`}
          </Figure>
          <Figure label="Lag p50 / p95, last hour" tone={h.lagP50Ms === null ? "text-zinc-500" : "text-zinc-900"}>
            {h.lagP50Ms === null || h.lagP95Ms === null ? "nothing delivered" : `${formatDuration(h.lagP50Ms)} / ${formatDuration(h.lagP95Ms)}`}
          </Figure>
          <div className="col-span-2">
            <dt className="text-xs text-zinc-500">Last success</dt>
            <dd className="text-sm text-zinc-900">
              {h.lastSuccessAt ? (
                <>
                  <DateTime value={h.lastSuccessAt} /> <span className="text-zinc-600">({formatDuration(Math.max(0, now.getTime() - h.lastSuccessAt.getTime()))} ago)</span>
                </>
              ) : (
                <span className="text-zinc-500">never</span>
              )}
            </dd>
          </div>
        </dl>
      ) : null}
      <ul className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <li><Link href={hrefWith("/runs", { system: s.key })} className={link}>Run history</Link></li>
        <li>
          <Link href={hrefWith("/deliveries", { status: "dead", system: s.key })} className={`${link} ${h?.dead ? "text-red-700" : ""}`}>
            Dead deliveries{h ? ` (${h.dead})` : ""}
          </Link>
        </li>
        <li><Link href={hrefWith("/conflicts", { system: s.key })} className={link}>Conflicts{h ? ` (${h.openConflicts} open)` : ""}</Link></li>
      </ul>
    </article>
  );
}
