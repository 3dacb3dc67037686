import { and, count, desc, eq, ilike, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~/server/db";
import { auditLog } from "~/server/db/schema";

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
  return { items, total: total?.n ?? 0, page, pageSize, actions: actions.map((a) => a.action) };
}
