import { and, count, desc, eq, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~/server/db";
import { runs } from "~/server/db/schema";
import { ZRunView } from "./run-view";

export const ZListRunsInput = z.object({
  entity: z.string().max(100).optional(),
  system: z.string().max(100).optional(),
  kind: z.enum(["full", "incremental", "selective", "dry-run"]).optional(),
  status: z.string().max(40).optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(25),
});
export const ZRunPage = z.object({ items: z.array(ZRunView), total: z.number(), page: z.number(), pageSize: z.number() });

/** Run history, newest first, filtered and paginated on the server. */
export async function listRuns({ db, input }: { db: Db; input: z.input<typeof ZListRunsInput> }) {
  const q = ZListRunsInput.parse(input);
  const filters: SQL[] = [];
  if (q.entity) filters.push(eq(runs.entity, q.entity));
  if (q.system) filters.push(eq(runs.system, q.system));
  if (q.kind) filters.push(eq(runs.kind, q.kind));
  if (q.status) filters.push(eq(runs.status, q.status));
  const where = filters.length ? and(...filters) : undefined;
  const [items, [total]] = await Promise.all([
    db.select().from(runs).where(where).orderBy(desc(runs.createdAt), desc(runs.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(runs).where(where),
  ]);
  return { items: items.map((r) => ZRunView.parse(r)), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
}
