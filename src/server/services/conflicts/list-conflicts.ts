import { and, count, desc, eq, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~/server/db";
import { conflicts } from "~/server/db/schema";

export const ZListConflictsInput = z.object({
  status: z.enum(["open", "resolved"]).default("open"),
  recordId: z.uuid().optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});
export const ZConflictView = z.object({
  id: z.string(),
  recordId: z.string(),
  entity: z.string(),
  field: z.string(),
  base: z.unknown(),
  theirs: z.unknown(),
  theirsSystem: z.string(),
  ours: z.unknown(),
  oursSystem: z.string().nullable(),
  status: z.string(),
  resolution: z.string().nullable(),
  reason: z.string(),
  resolvedBy: z.string().nullable(),
  createdAt: z.date(),
  resolvedAt: z.date().nullable(),
});
export const ZConflictPage = z.object({ items: z.array(ZConflictView), total: z.number(), page: z.number(), pageSize: z.number() });

/** Conflicts, newest first: base, theirs and ours per field. */
export async function listConflicts({ db, input }: { db: Db; input: z.input<typeof ZListConflictsInput> }) {
  const q = ZListConflictsInput.parse(input);
  const filters: SQL[] = [eq(conflicts.status, q.status)];
  if (q.recordId) filters.push(eq(conflicts.recordId, q.recordId));
  const where = and(...filters);
  const [items, [total]] = await Promise.all([
    db.select().from(conflicts).where(where).orderBy(desc(conflicts.createdAt)).limit(q.pageSize).offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(conflicts).where(where),
  ]);
  return { items, total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
}
