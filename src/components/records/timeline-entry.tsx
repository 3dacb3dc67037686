import Link from "next/link";
import type { ReactNode } from "react";
import type { TTimelineEntry } from "~/server/services/records/timeline-entries";
import { formatDuration, formatValue } from "../console/format";
import { StatusBadge } from "../console/status-badge";
import { DateTime } from "../date-time";
import { WaitingNote } from "../deliveries/waiting-note";
import { linkClass } from "../styles";

type Names = (system: string | null) => string;
type TChange = Extract<TTimelineEntry, { type: "change" }>["change"];
type TDelivery = Extract<TTimelineEntry, { type: "delivery" }>["delivery"];

/** ": name, slug", with another system's stored id (`@cms`) as "cms id". */
const fieldList = (fields: string[]) => (fields.length ? `: ${fields.map((f) => (f.startsWith("@") ? `${f.slice(1)} id` : f)).join(", ")}` : "");

function changeTitle(c: TChange, name: Names): string {
  const from = name(c.system);
  if (c.outcome === "restored") return "Restored";
  if (c.kind === "delete") return c.outcome === "deleted" ? `Deleted in ${from}` : `Delete seen in ${from} (${c.outcome})`;
  switch (c.outcome) {
    case "created":
      return `Created from ${from}`;
    case "applied":
      return `Changed in ${from}${fieldList(c.fields)}`;
    case "echo":
      return `${from} confirmed Concord's own write (echo, nothing to do)`;
    case "conflict":
      return `Conflicting change in ${from}${fieldList(c.fields)}`;
    case "stale":
      return `Out-of-date change from ${from}, not applied`;
    case "foreign":
      return `${from} changed what it may not write${fieldList(c.fields)}`;
    case "unchanged":
      return `${from} reported it unchanged`;
    case "linked":
      return `Linked in ${from}`;
    case "unlinked":
      return `Unlinked from ${from}`;
    default:
      return `${c.kind} from ${from}: ${c.outcome}${fieldList(c.fields)}`;
  }
}

function Attempts({ d }: { d: TDelivery }) {
  if (d.requests.length === 0) return null;
  return (
    <ul className="mt-2 space-y-1 border-l-2 border-zinc-200 pl-3 text-xs text-zinc-700" aria-label={`Requests of delivery ${d.id}`}>
      {d.moreRequests ? <li className="text-zinc-500">{d.moreRequests} earlier requests: see the delivery.</li> : null}
      {d.requests.map((a) => (
        <li key={a.id} className="[overflow-wrap:anywhere]">
          <DateTime value={a.at} /> · {a.method || "request"} · {a.statusCode ? `HTTP ${a.statusCode}` : "no answer"} · {a.outcome.replace("_", " ")} · {formatDuration(a.durationMs)}
          {a.error ? <span className="block text-red-700">{a.error}</span> : null}
        </li>
      ))}
    </ul>
  );
}

function body(e: TTimelineEntry, name: Names): { tag: string; title: ReactNode; extra?: ReactNode } {
  switch (e.type) {
    case "change": {
      const c = e.change;
      const tag = c.outcome === "restored" ? "restore" : c.kind === "delete" ? "delete" : "change";
      const extra = (
        <>
          {c.detail ? <p className="text-zinc-700">{c.detail}</p> : null}
          <p className="text-xs text-zinc-500">
            {c.externalId ? <>id there <span className="font-mono">{c.externalId}</span> · </> : null}
            {c.runId ? <Link href={`/runs/${c.runId}`} className={linkClass}>from a run</Link> : c.webhookEventId ? "from a webhook" : c.system === "concord" ? "in the console" : "from the console, the API or a link"}
          </p>
        </>
      );
      return { tag, title: changeTitle(c, name), extra };
    }
    case "delivery": {
      const d = e.delivery;
      const title = (
        <>
          <Link href={`/deliveries/${d.id}`} className={linkClass}>Delivery #{d.id}</Link> to {name(d.system)}
          {d.action ? `: ${d.action}` : ""} <StatusBadge status={d.blocked ? "blocked" : d.status} />
        </>
      );
      const extra = (
        <>
          <p className="text-xs text-zinc-500">
            fields{fieldList(d.fields) || ": none"}
            {d.finishedAt ? <> · finished <DateTime value={d.finishedAt} /></> : null}
            {d.waitingFor ? <> · <WaitingNote d={d} className="" /></> : null}
          </p>
          {d.lastError ? <p className="text-sm text-red-700 [overflow-wrap:anywhere]">{d.lastError}</p> : null}
          <Attempts d={d} />
        </>
      );
      return { tag: "delivery", title, extra };
    }
    case "conflict-opened": {
      const k = e.conflict;
      const title = <>Conflict on <span className="font-mono">{k.field}</span> ({k.reason})</>;
      const extra = (
        <p className="text-zinc-700 [overflow-wrap:anywhere]">
          {name(k.theirsSystem)}: “{formatValue(k.theirs)}” · {name(k.oursSystem)}: “{formatValue(k.ours)}”
          {k.status === "open" ? <> · <Link href="/conflicts" className={linkClass}>resolve it on Conflicts</Link></> : null}
        </p>
      );
      return { tag: "conflict", title, extra };
    }
    case "conflict-resolved": {
      const k = e.conflict;
      return { tag: "conflict", title: <>Conflict on <span className="font-mono">{k.field}</span> resolved: {k.resolution ?? "settled"}{k.resolvedBy ? ` by ${k.resolvedBy}` : ""}</> };
    }
    case "link":
      return { tag: "link", title: <>Linked in {name(e.link.system)} as <span className="font-mono [overflow-wrap:anywhere]">{e.link.externalId}</span></>, extra: <p className="text-xs text-zinc-500">link made by {e.link.origin}</p> };
    case "admin":
      return { tag: "admin", title: `${e.audit.action} by ${e.audit.actor}` };
  }
}

const TAG_TONE: Record<string, string> = {
  delete: "bg-red-100 text-red-800",
  restore: "bg-green-100 text-green-800",
  conflict: "bg-amber-100 text-amber-900",
  delivery: "bg-blue-100 text-blue-800",
};

/** One thing that happened to the record, with when, what kind and the details. */
export function TimelineEntry({ entry, name }: { entry: TTimelineEntry; name: Names }) {
  const { tag, title, extra } = body(entry, name);
  return (
    <li className="relative pl-6" data-entry={entry.type}>
      <span aria-hidden="true" className="absolute top-1.5 left-0 h-2.5 w-2.5 rounded-full bg-indigo-300 ring-4 ring-white" />
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1 text-xs text-zinc-500">
        <DateTime value={entry.at} />
        <span className={`rounded-full px-2 py-0.5 font-medium ${TAG_TONE[tag] ?? "bg-zinc-100 text-zinc-700"}`}>{tag}</span>
      </div>
      <p className="mt-1 text-sm font-medium text-zinc-900">{title}</p>
      {extra ? <div className="mt-1 space-y-1 text-sm">{extra}</div> : null}
    </li>
  );
}
