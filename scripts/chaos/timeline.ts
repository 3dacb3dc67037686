// A record's timeline, for a violation: the writes, the webhooks (sent and stored), the changes Concord
// applied, its deliveries and conflicts — in time order.
import type { History } from "./db";
import { iso, type Finals } from "./checker";
import type { Write } from "./writer";

interface Line {
  at: number;
  text: string;
}

const MAX_LINES = 80;
const short = (v: unknown) => JSON.stringify(v)?.slice(0, 160);

export function timeline(slug: string, writes: Write[], h: History, finals: Finals): string {
  const lines: Line[] = [];
  const rec = h.records.find((r) => r.natural_key === slug);
  const ids: Record<string, Set<string>> = { dashboard: new Set(), cms: new Set(), "lead-centre": new Set() };
  for (const w of writes) {
    if (w.slug !== slug) continue;
    if (w.id) ids[w.system]!.add(w.id);
    const ack = w.ackAt === null ? w.status : `ack ${iso(w.ackAt)}`;
    lines.push({ at: w.ackAt ?? w.doneAt, text: `write #${w.seq} ${w.system} ${w.op} ${short(w.values)} (${ack}; sent ${iso(w.sentAt)})` });
  }
  for (const l of h.links) if (rec && l.record_id === rec.id) (ids[l.system] ??= new Set()).add(l.external_id);
  const events = new Map(h.events.map((e) => [`${e.system} ${e.webhook_id}`, e]));
  for (const system of ["dashboard", "cms"] as const) {
    for (const o of finals.outcomes[system]) {
      const id = o.record.split(":")[1] ?? "";
      if (!ids[system]!.has(id)) continue;
      const e = events.get(`${system} ${o.msgId}`);
      lines.push({ at: o.queuedAt, text: `${system} queues webhook ${o.type} ${o.msgId.slice(0, 12)}${o.reordered ? " (reordered)" : ""} → ${o.outcome} at ${iso(o.at)}${e ? `; event ${e.id} ${e.status}` : ""}` });
    }
  }
  for (const e of h.events) {
    let data: Record<string, unknown> = {};
    try {
      data = ((JSON.parse(e.body) as { data?: Record<string, unknown> }).data ?? {}) as Record<string, unknown>;
    } catch {
      // kept as stored
    }
    if (data.slug !== slug && !ids[e.system]?.has(String(data.id))) continue;
    const vals = { name: data.name ?? data.title, description: data.description ?? data.summary, active: data.is_active ?? data.active ?? data.enabled };
    const t = data.updated_at ?? data.updatedAt;
    lines.push({ at: e.received_at.getTime(), text: `event ${e.id} from ${e.system} stored (${e.status}, processed ${e.processed_at ? iso(e.processed_at.getTime()) : "-"}) doc updated ${String(t)} ${short(vals)}` });
  }
  if (rec) {
    for (const c of h.changes) {
      if (c.record_id !== rec.id) continue;
      lines.push({ at: c.at.getTime(), text: `change ${c.id} from ${c.system} ${c.kind}: ${c.outcome} ${short(c.fields)} source time ${c.source_time ? iso(c.source_time.getTime()) : "-"}${c.webhook_event_id ? ` (event ${c.webhook_event_id})` : ""}${c.run_id ? " (run)" : ""}${c.detail ? ` ${c.detail}` : ""}` });
    }
    for (const d of h.deliveries) {
      if (d.record_id !== rec.id) continue;
      lines.push({ at: d.created_at.getTime(), text: `delivery ${d.id} → ${d.system} ${d.action ?? "?"} ${short(d.fields)}: ${d.status} after ${d.attempts} attempt(s)${d.finished_at ? `, finished ${iso(d.finished_at.getTime())}` : ""}${d.last_error ? ` ${d.last_error.slice(0, 120)}` : ""}` });
    }
    for (const c of h.conflicts) {
      if (c.record_id !== rec.id) continue;
      lines.push({ at: c.created_at.getTime(), text: `conflict on ${c.field}: theirs ${short(c.theirs)} (${c.theirs_system}) vs ours ${short(c.ours)} (${c.ours_system ?? "?"}) base ${short(c.base)} → ${c.resolution ?? c.status} by ${c.reason}` });
    }
  }
  lines.sort((a, b) => a.at - b.at);
  const shown = lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES / 2), { at: 0, text: `… ${lines.length - MAX_LINES} more …` }, ...lines.slice(-MAX_LINES / 2)] : lines;
  const finalsText = [
    `  final dashboard ${short(finals.dashboard.find((d) => d.slug === slug))}`,
    `  final cms       ${short(finals.cms.find((d) => d.slug === slug))}`,
    `  final concord   ${short(rec?.data)} stamps ${short(rec?.stamps)}`,
  ];
  return [...shown.map((l) => `  ${l.at ? iso(l.at) : "            "}  ${l.text}`), ...finalsText].join("\n");
}
