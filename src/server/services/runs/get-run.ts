import { asc, count, eq } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import type { Db } from "~/server/db";
import { runItems, runs, type TRunRow } from "~/server/db/schema";
import { ZRunView } from "./run-view";

export const ZGetRunInput = z.object({ id: z.uuid(), page: z.number().int().min(1).default(1), pageSize: z.number().int().min(1).max(500).default(100) });
export const ZRunItem = z.object({ id: z.number(), recordId: z.string().nullable(), externalId: z.string().nullable(), label: z.string().nullable(), outcome: z.string(), error: z.string().nullable(), at: z.date() });
/**
 * Where a running run is: `working` (a process holds it), `waiting` (no process does: the next tick, worker
 * or request takes it up from its last committed page) or `paused` (after a source failure, until `until`).
 */
export const ZRunHolder = z.object({ state: z.enum(["working", "waiting", "paused"]), until: z.date().nullable() }).nullable();
export const ZRunDetail = z.object({ run: ZRunView, plan: z.unknown(), items: z.array(ZRunItem), itemsTotal: z.number(), holder: ZRunHolder.default(null) });

function holderOf(run: TRunRow, now: Date): z.infer<typeof ZRunHolder> {
  if (run.status !== "running") return null;
  const live = run.leaseUntil !== null && run.leaseUntil > now;
  if (live && run.leaseOwner) return { state: "working", until: run.leaseUntil };
  if (live) return { state: "paused", until: run.leaseUntil };
  return { state: "waiting", until: null };
}

/** One run with its plan (dry runs, held deletes), a page of its per-item outcomes, and who holds it now. */
export async function getRun({ db, input }: { db: Db; input: z.input<typeof ZGetRunInput> }) {
  const q = ZGetRunInput.parse(input);
  const [run] = await db.select().from(runs).where(eq(runs.id, q.id));
  if (!run) throw new SyncError("NOT_FOUND", "No such run.");
  const [items, [total]] = await Promise.all([
    db.select().from(runItems).where(eq(runItems.runId, q.id)).orderBy(asc(runItems.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(runItems).where(eq(runItems.runId, q.id)),
  ]);
  return { run: ZRunView.parse(run), plan: run.plan ?? null, items, itemsTotal: total?.n ?? 0, holder: holderOf(run, new Date()) };
}
