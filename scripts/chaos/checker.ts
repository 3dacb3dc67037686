// The checker, over the full history of a trial (in the spirit of Jepsen's): every field of every record
// ends, in every system and in Concord, with the value of the latest accepted edit (or a conflict row shows
// it losing by policy to an edit at least as late); no duplicates; nothing acknowledged lost; nothing stuck.
import type { WebhookLogEntry } from "../../demo/server";
import type { History } from "./db";
import { FIELDS, type Field, type Write } from "./writer";

export type ViolationKind = "lost-update" | "recorded-loss" | "missing" | "duplicate" | "ack-lost" | "stuck" | "dead";
export const VIOLATION_KINDS: readonly ViolationKind[] = ["lost-update", "recorded-loss", "missing", "duplicate", "ack-lost", "stuck", "dead"];
/** Findings that do not fail a trial: a loss a conflict row records is visible and fixable from the Conflicts page. */
export const NOT_FAILING: readonly ViolationKind[] = ["recorded-loss"];
export const failing = (vs: { kind: ViolationKind }[]) => vs.filter((v) => !NOT_FAILING.includes(v.kind));

export interface Violation {
  kind: ViolationKind;
  /** the record's natural key, when the violation is about one record */
  slug: string | null;
  message: string;
}

export type Doc = Record<string, unknown> & { id: string | number; slug: string };

export interface Finals {
  dashboard: Doc[];
  cms: Doc[];
  outcomes: { dashboard: WebhookLogEntry[]; cms: WebhookLogEntry[] };
}

/** A system's document as canonical values (the bindings' field names and transforms). */
export function canonical(system: "dashboard" | "cms" | "concord", doc: Record<string, unknown>): Record<Field, unknown> {
  const active = system === "dashboard" ? doc.is_active : doc.active;
  const description = doc.description === "" ? null : (doc.description ?? null);
  return { name: doc.name, description, active };
}

const show = (v: unknown) => JSON.stringify(v);

function expectedValues(writes: Write[], field: Field): { values: unknown[]; at: number; uncertain: unknown[] } | null {
  let at = -Infinity;
  let values: unknown[] = [];
  const uncertain: unknown[] = [];
  for (const w of writes) {
    if (!(field in w.values)) continue;
    const v = w.values[field];
    if (w.status === "unknown") uncertain.push(v);
    if (w.status !== "ok" || w.ackAt === null) continue;
    if (w.ackAt > at) {
      at = w.ackAt;
      values = [v];
    } else if (w.ackAt === at) values.push(v);
  }
  return at === -Infinity ? null : { values, at, uncertain };
}

function checkRecords(writes: Write[], finals: Finals, h: History, out: Violation[]): void {
  const bySlug = new Map<string, Write[]>();
  for (const w of writes) (bySlug.get(w.slug) ?? bySlug.set(w.slug, []).get(w.slug)!).push(w);
  const index = (docs: Doc[]) => new Map(docs.map((d) => [d.slug, d]));
  const dash = index(finals.dashboard);
  const cms = index(finals.cms);
  const recs = new Map(h.records.map((r) => [r.natural_key, r]));
  for (const [slug, ws] of bySlug) {
    if (!ws.some((w) => w.op === "create" && w.status === "ok")) continue;
    const rec = recs.get(slug);
    const places = { dashboard: dash.get(slug), cms: cms.get(slug), concord: rec && !rec.deleted_at ? rec.data : undefined };
    for (const [where, doc] of Object.entries(places)) {
      if (!doc) out.push({ kind: "missing", slug, message: `${slug} is missing in ${where}` });
    }
    for (const field of FIELDS) {
      const exp = expectedValues(ws, field);
      if (!exp) continue;
      const allowed = [...exp.values, ...exp.uncertain];
      for (const [where, doc] of Object.entries(places)) {
        if (!doc) continue;
        const got = canonical(where as "dashboard" | "cms" | "concord", doc)[field];
        if (allowed.some((v) => v === got)) continue;
        const explained = rec && h.conflicts.some((c) => c.record_id === rec.id && c.field === field && exp.values.includes(c.theirs) !== exp.values.includes(c.ours) && (c.theirs === got || c.ours === got) && loserLater(ws, field, got, exp.at));
        if (explained) continue;
        // A conflict row records the latest edit losing by policy, to an edit the policy's clock (the documents'
        // own updated-at, one per document) took as later: visible to an admin, not silent. Counted apart.
        const recorded = rec && h.conflicts.some((c) => c.record_id === rec.id && c.field === field && c.resolution !== null && exp.values.includes(c.resolution === "ours" ? c.theirs : c.ours) && (c.resolution === "ours" ? c.ours : c.theirs) === got);
        if (recorded) {
          out.push({ kind: "recorded-loss", slug, message: `${slug}.${field} in ${where} is ${show(got)}; the latest accepted edit (at ${iso(exp.at)}) set ${exp.values.map(show).join(" or ")} and lost a recorded conflict by policy` });
          continue;
        }
        out.push({ kind: "lost-update", slug, message: `${slug}.${field} in ${where} is ${show(got)}; the latest accepted edit (at ${iso(exp.at)}) set ${exp.values.map(show).join(" or ")}` });
      }
    }
  }
}

/** The edit that set `value` was acknowledged no earlier than `at` (a tie the policy may settle either way). */
function loserLater(ws: Write[], field: Field, value: unknown, at: number): boolean {
  return ws.some((w) => w.status === "ok" && w.values[field] === value && (w.ackAt ?? 0) >= at);
}

function checkDuplicates(finals: Finals, h: History, out: Violation[]): void {
  for (const system of ["dashboard", "cms"] as const) {
    const seen = new Map<string, number>();
    for (const d of finals[system]) seen.set(d.slug, (seen.get(d.slug) ?? 0) + 1);
    for (const [slug, n] of seen) if (n > 1) out.push({ kind: "duplicate", slug, message: `${slug} is ${n} times in ${system}` });
  }
  const cmsById = new Map(finals.cms.map((d) => [String(d.id), d]));
  const cmsIdOwners = new Map<string, string[]>();
  for (const d of finals.dashboard) {
    const cmsId = d.cms_id as string | null;
    if (!cmsId) {
      out.push({ kind: "missing", slug: d.slug, message: `${d.slug}: the Dashboard's cms_id is empty` });
      continue;
    }
    (cmsIdOwners.get(cmsId) ?? cmsIdOwners.set(cmsId, []).get(cmsId)!).push(d.slug);
    const target = cmsById.get(cmsId);
    if (!target || target.slug !== d.slug) out.push({ kind: "duplicate", slug: d.slug, message: `${d.slug}: cms_id ${cmsId} points at ${target ? target.slug : "nothing"}` });
  }
  for (const [cmsId, slugs] of cmsIdOwners) if (slugs.length > 1) out.push({ kind: "duplicate", slug: slugs[0]!, message: `CMS doc ${cmsId} is the cms_id of ${slugs.join(", ")}` });
  const links = new Map<string, number>();
  for (const l of h.links) links.set(`${l.record_id} ${l.system}`, (links.get(`${l.record_id} ${l.system}`) ?? 0) + 1);
  for (const [k, n] of links) if (n > 1) out.push({ kind: "duplicate", slug: null, message: `record × system ${k} has ${n} links` });
}

function checkAcknowledged(finals: Finals, h: History, out: Violation[]): void {
  const events = new Map(h.events.map((e) => [`${e.system} ${e.webhook_id}`, e]));
  for (const system of ["dashboard", "cms"] as const) {
    for (const o of finals.outcomes[system]) {
      if (o.outcome !== "acked") continue;
      const e = events.get(`${system} ${o.msgId}`);
      if (!e) out.push({ kind: "ack-lost", slug: null, message: `${system} webhook ${o.msgId} (${o.type} ${o.record}) got a 2xx but is not in webhook_events` });
      else if (e.status === "failed") out.push({ kind: "dead", slug: null, message: `${system} webhook event ${e.id} (${o.type} ${o.record}) failed: ${e.error ?? ""}` });
    }
  }
}

function checkStuck(h: History, out: Violation[]): void {
  const slugOf = new Map(h.records.map((r) => [r.id, r.natural_key]));
  for (const e of h.events) {
    if (e.status === "pending" || e.status === "processing") out.push({ kind: "stuck", slug: null, message: `webhook event ${e.id} (${e.system}) is ${e.status}` });
  }
  for (const d of h.deliveries) {
    const slug = slugOf.get(d.record_id) ?? null;
    if (["pending", "retrying", "in_flight"].includes(d.status)) out.push({ kind: "stuck", slug, message: `delivery ${d.id} (${d.action ?? "?"} ${d.system}) is ${d.status}` });
    if (d.status === "dead") out.push({ kind: "dead", slug, message: `delivery ${d.id} (${d.action ?? "?"} ${d.system}) is dead: ${(d.last_error ?? "").slice(0, 200)}` });
  }
}

export function check(writes: Write[], finals: Finals, h: History): Violation[] {
  const out: Violation[] = [];
  checkRecords(writes, finals, h, out);
  checkDuplicates(finals, h, out);
  checkAcknowledged(finals, h, out);
  checkStuck(h, out);
  return out;
}

export const iso = (ms: number) => new Date(ms).toISOString().slice(11, 23);
