import { asc, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows, type Db } from "~/server/db";
import { deliveryAttempts } from "~/server/db/schema";
import {
  ZTimelineAdmin,
  ZTimelineAttempt,
  ZTimelineChange,
  ZTimelineConflict,
  ZTimelineDelivery,
  ZTimelineLink,
  type TTimelineEntry,
  ZTimelineEntry,
} from "./timeline-entries";

/** `<microseconds since epoch>.<rank>.<key>` of the last entry already shown. */
const CURSOR = /^(\d{1,20})\.([1-6])\.([0-9a-f-]{1,40})$/;

export const ZRecordTimelineInput = z.object({
  id: z.uuid(),
  /** Entries older than this one (the `next` of the previous page); absent = newest first. */
  before: z.string().regex(CURSOR, "a cursor from the previous page").optional(),
  limit: z.number().int().min(1).max(100).default(25),
});
export const ZRecordTimeline = z.object({ items: z.array(ZTimelineEntry), next: z.string().nullable() });

/** Attempts listed per delivery; its own page has them all. */
const ATTEMPTS_SHOWN = 10;

type TAttempt = z.infer<typeof ZTimelineAttempt>;

interface Row extends Record<string, unknown> {
  us: string;
  rank: number;
  key: string;
  type: TTimelineEntry["type"];
  data: Record<string, unknown>;
}

/**
 * The rank orders things written in the same instant (one transaction shares one now()) as they
 * happened: the change, then what it opened and queued, then the admin's audit row.
 */
function sources(id: string) {
  return sql`
    select (extract(epoch from c.at) * 1000000)::bigint as us, 1 as rank, lpad(c.id::text, 20, '0') as key, 'change' as type,
           jsonb_build_object('id', c.id, 'system', c.system, 'kind', c.kind, 'outcome', c.outcome, 'fields', c.fields, 'detail', c.detail,
                              'externalId', c.external_id, 'runId', c.run_id, 'webhookEventId', c.webhook_event_id, 'sourceTime', c.source_time) as data
      from changes c where c.record_id = ${id}::uuid
    union all
    select (extract(epoch from k.created_at) * 1000000)::bigint, 2, k.id::text, 'conflict-opened', to_jsonb(k.*)
      from (select id, field, theirs_system as "theirsSystem", ours_system as "oursSystem", theirs, ours, reason, status, resolution,
                   resolved_by as "resolvedBy", created_at, resolved_at from conflicts where record_id = ${id}::uuid) k
    union all
    select (extract(epoch from d.created_at) * 1000000)::bigint, 3, lpad(d.id::text, 20, '0'), 'delivery',
           jsonb_build_object('id', d.id, 'system', d.system, 'status', d.status, 'action', d.action, 'fields', d.fields, 'attempts', d.attempts,
                              'lastError', d.last_error, 'waitingFor', d.waiting_for, 'finishedAt', d.finished_at, 'runId', d.run_id,
                              'blocked', case when d.status = 'pending' and d.waiting_for is not null then d.blocked end)
      from deliveries d where d.record_id = ${id}::uuid
    union all
    select (extract(epoch from l.created_at) * 1000000)::bigint, 4, l.id::text, 'link',
           jsonb_build_object('system', l.system, 'externalId', l.external_id, 'origin', l.origin)
      from links l where l.record_id = ${id}::uuid
    union all
    select (extract(epoch from k.resolved_at) * 1000000)::bigint, 5, k.id::text, 'conflict-resolved', to_jsonb(k.*)
      from (select id, field, theirs_system as "theirsSystem", ours_system as "oursSystem", theirs, ours, reason, status, resolution,
                   resolved_by as "resolvedBy", resolved_at from conflicts where record_id = ${id}::uuid and resolved_at is not null) k
    union all
    select (extract(epoch from a.at) * 1000000)::bigint, 6, lpad(a.id::text, 20, '0'), 'admin',
           jsonb_build_object('id', a.id, 'action', a.action, 'actor', a.actor_label, 'before', a.before, 'after', a.after)
      from audit_log a where a.target = ${`record:${id}`} and a.action like 'links.%'`;
}

function toEntry(r: Row, requests: Map<number, TAttempt[]>): TTimelineEntry {
  const at = new Date(Number(BigInt(r.us) / 1000n));
  const key = `${r.us}.${r.rank}.${r.key}`;
  switch (r.type) {
    case "change":
      return { type: "change", at, key, change: ZTimelineChange.parse(r.data) };
    case "delivery": {
      const delivery = ZTimelineDelivery.parse(r.data);
      const all = requests.get(delivery.id) ?? [];
      return { type: "delivery", at, key, delivery: { ...delivery, requests: all.slice(-ATTEMPTS_SHOWN), moreRequests: Math.max(0, all.length - ATTEMPTS_SHOWN) } };
    }
    case "conflict-opened":
    case "conflict-resolved":
      return { type: r.type, at, key, conflict: ZTimelineConflict.parse(r.data) };
    case "link":
      return { type: "link", at, key, link: ZTimelineLink.parse(r.data) };
    case "admin":
      return { type: "admin", at, key, audit: ZTimelineAdmin.parse(r.data) };
  }
}

/**
 * Everything that happened to one record, newest first, as one typed list: changes with their origin,
 * deliveries with their attempts, conflicts opened and resolved, links made and admins' link actions.
 * One SQL union ordered by (time, rank, id), paged by keyset: a page never repeats or skips an entry
 * however many arrive meanwhile.
 */
export async function recordTimeline({ db, input }: { db: Db; input: z.input<typeof ZRecordTimelineInput> }) {
  const q = ZRecordTimelineInput.parse(input);
  const m = q.before ? CURSOR.exec(q.before) : null;
  const after = m ? sql`where (t.us, t.rank, t.key) < (${m[1]}::bigint, ${Number(m[2])}::int, ${m[3]}::text)` : sql``;
  const rows = await queryRows<Row>(
    db,
    sql`select t.us::text as us, t.rank, t.key, t.type, t.data from (${sources(q.id)}) t ${after}
        order by t.us desc, t.rank desc, t.key desc limit ${q.limit + 1}`,
  );
  const page = rows.slice(0, q.limit).map((r) => ({ ...r, rank: Number(r.rank), data: typeof r.data === "string" ? (JSON.parse(r.data) as Record<string, unknown>) : r.data }));
  const deliveryIds = page.filter((r) => r.type === "delivery").map((r) => Number(r.data.id));
  const attempts = deliveryIds.length
    ? await db.select().from(deliveryAttempts).where(inArray(deliveryAttempts.deliveryId, deliveryIds)).orderBy(asc(deliveryAttempts.id))
    : [];
  const requests = new Map<number, TAttempt[]>();
  for (const a of attempts) {
    const list = requests.get(a.deliveryId) ?? [];
    list.push({ id: a.id, at: a.at, method: a.method, statusCode: a.statusCode, outcome: a.outcome, error: a.error, durationMs: a.durationMs });
    requests.set(a.deliveryId, list);
  }
  const items = page.map((r) => toEntry(r, requests));
  return { items, next: rows.length > q.limit ? items[items.length - 1]!.key : null };
}
