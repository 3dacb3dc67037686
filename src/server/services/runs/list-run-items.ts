import { and, asc, count, eq, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~/server/db";
import { runItems } from "~/server/db/schema";
import { ZRunItem } from "./get-run";

export const ZListRunItemsInput = z.object({
  id: z.uuid(),
  /** Only the items that failed, or every item. */
  only: z.enum(["all", "failed"]).default("all"),
  /** Only the items of this document (its id in the system read). */
  externalId: z.string().trim().min(1).max(200).optional(),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(500).default(50),
});
export const ZRunItemsPage = z.object({ items: z.array(ZRunItem), total: z.number(), all: z.number(), failed: z.number(), page: z.number(), pageSize: z.number() });

/** A page of one run's per-item outcomes, in the order they were handled, with how many there are and how many failed. */
export async function listRunItems({ db, input }: { db: Db; input: z.input<typeof ZListRunItemsInput> }) {
  const q = ZListRunItemsInput.parse(input);
  const ofRun = eq(runItems.runId, q.id);
  const failed = and(ofRun, eq(runItems.outcome, "failed"));
  const chosen = q.only === "failed" ? failed : ofRun;
  const where: SQL | undefined = q.externalId ? and(chosen, eq(runItems.externalId, q.externalId)) : chosen;
  const [items, [all], [bad]] = await Promise.all([
    db.select().from(runItems).where(where).orderBy(asc(runItems.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(runItems).where(ofRun),
    db.select({ n: count() }).from(runItems).where(failed),
  ]);
  const allN = Number(all?.n ?? 0);
  const failedN = Number(bad?.n ?? 0);
  const [one] = q.externalId ? await db.select({ n: count() }).from(runItems).where(where) : [];
  return { items, total: one ? Number(one.n) : q.only === "failed" ? failedN : allN, all: allN, failed: failedN, page: q.page, pageSize: q.pageSize };
}
