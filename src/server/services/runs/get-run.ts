import { asc, count, eq } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import type { Db } from "~/server/db";
import { runItems, runs } from "~/server/db/schema";
import { ZRunView } from "./run-view";

export const ZGetRunInput = z.object({ id: z.uuid(), page: z.number().int().min(1).default(1), pageSize: z.number().int().min(1).max(500).default(100) });
export const ZRunItem = z.object({ id: z.number(), recordId: z.string().nullable(), externalId: z.string().nullable(), label: z.string().nullable(), outcome: z.string(), error: z.string().nullable(), at: z.date() });
export const ZRunDetail = z.object({ run: ZRunView, plan: z.unknown(), items: z.array(ZRunItem), itemsTotal: z.number() });

/** One run with its plan (dry runs, held deletes) and a page of its per-item outcomes. */
export async function getRun({ db, input }: { db: Db; input: z.input<typeof ZGetRunInput> }) {
  const q = ZGetRunInput.parse(input);
  const [run] = await db.select().from(runs).where(eq(runs.id, q.id));
  if (!run) throw new SyncError("NOT_FOUND", "No such run.");
  const [items, [total]] = await Promise.all([
    db.select().from(runItems).where(eq(runItems.runId, q.id)).orderBy(asc(runItems.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(runItems).where(eq(runItems.runId, q.id)),
  ]);
  return { run: ZRunView.parse(run), plan: run.plan ?? null, items, itemsTotal: total?.n ?? 0 };
}
