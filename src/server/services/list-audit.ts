import { and, count, desc, eq, ilike, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~/server/db";
import { auditLog, records, runs } from "~/server/db/schema";

export const ZListAuditInput = z.object({
  actor: z.string().trim().max(200).optional(),
  action: z.string().trim().max(200).optional(),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});

export const ZAuditEntry = z.object({
  id: z.number(),
  at: z.date(),
  actorKind: z.string(),
  actorLabel: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  /** What the target is, in words ("Kitchen Fitting (industry)", "full run of industry from dashboard"), when Concord still knows it. */
  targetLabel: z.string().nullable().default(null),
  /** Where its page is, for a record or a run. */
  targetHref: z.string().nullable().default(null),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
});

export const ZAuditPage = z.object({ items: z.array(ZAuditEntry), total: z.number(), page: z.number(), pageSize: z.number(), actions: z.array(z.string()) });
export type TAuditPage = z.infer<typeof ZAuditPage>;

/** Newest first; filter by actor (substring of the label) and exact action; paginated on the server. */
export async function listAudit({ db, input }: { db: Db; input: z.input<typeof ZListAuditInput> }): Promise<TAuditPage> {
  const { actor, action, page, pageSize } = ZListAuditInput.parse(input);
  const filters: SQL[] = [];
  if (actor) filters.push(ilike(auditLog.actorLabel, `%${actor.replace(/[%_\\]/g, "\\$&")}%`));
  if (action) filters.push(eq(auditLog.action, action));
  const where = filters.length ? and(...filters) : undefined;
  const [items, [total], actions] = await Promise.all([
    db.select().from(auditLog).where(where).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(pageSize).offset((page - 1) * pageSize),
    db.select({ n: count() }).from(auditLog).where(where),
    db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(auditLog.action),
  ]);
  const named = await nameTargets(db, items.map((i) => i.target));
  return { items: items.map((i) => ({ ...i, targetLabel: null, targetHref: null, ...(i.target ? named.get(i.target) : undefined) })), total: total?.n ?? 0, page, pageSize, actions: actions.map((a) => a.action) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Names the records and runs audit rows point at (by their UUIDs), in two statements. */
async function nameTargets(db: Db, targets: (string | null)[]): Promise<Map<string, { targetLabel: string; targetHref: string }>> {
  const ids = (kind: string) => [...new Set(targets.filter((t): t is string => !!t?.startsWith(`${kind}:`)).map((t) => t.slice(kind.length + 1)).filter((id) => UUID.test(id)))];
  const recordIds = ids("record");
  const runIds = ids("run");
  const out = new Map<string, { targetLabel: string; targetHref: string }>();
  if (recordIds.length) {
    const rows = await db
      .select({ id: records.id, entity: records.entity, name: sql<string>`coalesce(${records.data} ->> 'name', ${records.data} ->> 'fullName', ${records.naturalKey})` })
      .from(records)
      .where(inArray(records.id, recordIds));
    for (const r of rows) out.set(`record:${r.id}`, { targetLabel: `${r.name} (${r.entity})`, targetHref: `/records/${r.id}` });
  }
  if (runIds.length) {
    const rows = await db.select({ id: runs.id, kind: runs.kind, entity: runs.entity, system: runs.system }).from(runs).where(inArray(runs.id, runIds));
    for (const r of rows) out.set(`run:${r.id}`, { targetLabel: `${r.kind} run of ${r.entity} from ${r.system}`, targetHref: `/runs/${r.id}` });
  }
  return out;
}
