import Link from "next/link";
import type { TSystemView } from "~/server/services/systems/system-view";
import { hrefWith } from "../console/params";
import { StatusBadge } from "../console/status-badge";

const COUNTS = [
  { key: "pending", label: "Pending", tone: "text-zinc-900" },
  { key: "retrying", label: "Retrying", tone: "text-amber-900" },
  { key: "dead", label: "Dead", tone: "text-red-700" },
] as const;

/** One system at a glance: on or off, what is waiting to be sent to it, and where to look next. */
export function SystemTile({ system: s, openConflicts }: { system: TSystemView; openConflicts: number | null }) {
  const titleId = `tile-${s.key}`;
  const link = "font-medium text-indigo-700 underline-offset-4 hover:underline";
  return (
    <article aria-labelledby={titleId} className="flex flex-col rounded-lg border border-zinc-200 bg-white p-4 shadow-sm">
      <header className="flex items-center justify-between gap-2">
        <h3 id={titleId} className="font-semibold text-zinc-900">
          <Link href="/systems" className="hover:underline">{s.name}</Link>
        </h3>
        <StatusBadge status={s.enabled ? "enabled" : "disabled"} />
      </header>
      {!s.baseUrl ? <p className="mt-1 text-xs text-amber-900">No base URL yet: runs and deliveries fail until one is set.</p> : null}
      <dl className="mt-3 grid grid-cols-3 gap-2 text-center">
        {COUNTS.map((c) => (
          <div key={c.key} className="rounded-md bg-zinc-50 px-2 py-1.5">
            <dt className="text-xs text-zinc-500">{c.label}</dt>
            <dd className={`text-lg font-semibold tabular-nums ${s.deliveries[c.key] ? c.tone : "text-zinc-400"}`}>{s.deliveries[c.key] ?? 0}</dd>
          </div>
        ))}
      </dl>
      <ul className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <li><Link href={hrefWith("/runs", { system: s.key })} className={link}>Run history</Link></li>
        <li><Link href={hrefWith("/deliveries", { status: "dead", system: s.key })} className={link}>Dead deliveries</Link></li>
        <li>
          <Link href="/conflicts" className={link}>
            Conflicts{openConflicts === null ? "" : ` (${openConflicts} open)`}
          </Link>
        </li>
      </ul>
    </article>
  );
}
