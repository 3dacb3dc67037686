import { and, count, desc, eq, gte, lte, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~/server/db";
import { runs } from "~/server/db/schema";
import { ZRunView } from "./run-view";

/** The Runs page's history: every filter on the server, dates on when the run was created (inclusive bounds). */
export const ZListRunHistoryInput = z
  .object({
    entity: z.string().trim().max(100).optional(),
    system: z.string().trim().max(100).optional(),
    /** full, incremental, selective, dry-run, or any kind the engine adds later. */
    kind: z.string().trim().max(40).optional(),
    status: z.string().trim().max(40).optional(),
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
    page: z.number().int().min(1).max(100_000).default(1),
    pageSize: z.number().int().min(1).max(200).default(25),
  })
  .superRefine((v, ctx) => {
    if (v.from && v.to && v.from > v.to) ctx.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
  });
export const ZRunHistoryPage = z.object({ items: z.array(ZRunView), total: z.number(), page: z.number(), pageSize: z.number() });

export function runHistoryWhere(q: Omit<z.infer<typeof ZListRunHistoryInput>, "page" | "pageSize">): SQL | undefined {
  const filters: SQL[] = [];
  if (q.entity) filters.push(eq(runs.entity, q.entity));
  if (q.system) filters.push(eq(runs.system, q.system));
  if (q.kind) filters.push(eq(runs.kind, q.kind as "full"));
  if (q.status) filters.push(eq(runs.status, q.status));
  if (q.from) filters.push(gte(runs.createdAt, q.from));
  if (q.to) filters.push(lte(runs.createdAt, q.to));
  return filters.length ? and(...filters) : undefined;
}

/** Run history, newest first, filtered and paginated on the server. */
export async function listRunHistory({ db, input }: { db: Db; input: z.input<typeof ZListRunHistoryInput> }) {
  const { page, pageSize, ...filter } = ZListRunHistoryInput.parse(input);
  const where = runHistoryWhere(filter);
  const [items, [total]] = await Promise.all([
    db.select().from(runs).where(where).orderBy(desc(runs.createdAt), desc(runs.id)).limit(pageSize).offset((page - 1) * pageSize),
    db.select({ n: count() }).from(runs).where(where),
  ]);
  return { items: items.map((r) => ZRunView.parse(r)), total: Number(total?.n ?? 0), page, pageSize };
}
