import { and, count, desc, eq, type SQL } from "drizzle-orm";
import { z } from "zod";
import { driftChecks } from "~/server/db/schema";
import type { Db } from "~/server/db";
import { toDriftCheckView, ZDriftCheckView } from "./drift-view";

export const ZListDriftChecksInput = z.object({
  entity: z.string().trim().min(1).max(100).optional(),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(10),
});
export const ZDriftCheckPage = z.object({ items: z.array(ZDriftCheckView), total: z.number(), page: z.number(), pageSize: z.number() });

/** Drift checks, newest first. */
export async function listDriftChecks({ db, input }: { db: Db; input: z.input<typeof ZListDriftChecksInput> }) {
  const q = ZListDriftChecksInput.parse(input);
  const filters: SQL[] = [];
  if (q.entity) filters.push(eq(driftChecks.entity, q.entity));
  const where = filters.length ? and(...filters) : undefined;
  const [rows, [total]] = await Promise.all([
    db.select().from(driftChecks).where(where).orderBy(desc(driftChecks.startedAt), desc(driftChecks.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(driftChecks).where(where),
  ]);
  return { items: rows.map(toDriftCheckView), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
}
