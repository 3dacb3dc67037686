import { and, eq, inArray, sql } from "drizzle-orm";
import { runs, type TRunCounts, type TRunRow } from "~/server/db/schema";
import { runRows, type Db } from "~/server/db";
import type { Engine } from "~/server/engine/context";
import type { TPageItem } from "./ingest-page";
import type { TPlanEntry } from "./plan-page";
import { countOutcome } from "./run-counts";
import { wakeOnCommit } from "~/server/db/wake-on-commit";

export const PLAN_LIMIT = 2000;

/** A page's items as one parameter (a JSON array): a fixed text, in the page's order. */
const INSERT_RUN_ITEMS = `insert into run_items (run_id, record_id, external_id, label, outcome, error, field)
  select x.run_id, x.record_id, x.external_id, x.label, x.outcome, x.error, x.field
    from jsonb_to_recordset($1::jsonb) as x(n int, run_id uuid, record_id uuid, external_id text, label text, outcome text, error text, field text)
   order by x.n`;

/** Counts each item's outcome and keeps one run_items row per item. */
export async function recordItems(engine: Engine, runId: string, items: TPageItem[], counts: TRunCounts): Promise<void> {
  await recordItemsIn(engine.db, runId, items, counts);
}

/** recordItems inside the caller's transaction (a page's items commit with its effects). */
export async function recordItemsIn(db: Db, runId: string, items: TPageItem[], counts: TRunCounts): Promise<void> {
  for (const i of items) countOutcome(counts, i.outcome);
  if (items.length === 0) return;
  const rows = items.map((i) => ({ run_id: runId, record_id: i.recordId, external_id: i.externalId, label: i.label, outcome: i.outcome, error: i.error ?? null, field: i.field ?? null }));
  await runRows(db, INSERT_RUN_ITEMS, rows);
}

/** Saves the counts so far, with a heartbeat (`options.heartbeatAt`) that tells a live run from an abandoned one. */
export async function saveProgress(engine: Engine, runId: string, counts: TRunCounts): Promise<void> {
  await engine.db
    .update(runs)
    .set({ counts, options: sql`coalesce(${runs.options}, '{}'::jsonb) || jsonb_build_object('heartbeatAt', now())` })
    .where(eq(runs.id, runId));
}

export async function isCancelled(engine: Engine, runId: string): Promise<boolean> {
  const [row] = await engine.db.select({ status: runs.status }).from(runs).where(eq(runs.id, runId));
  return row?.status === "cancelled";
}

/**
 * Ends a run. A run cancelled meanwhile stays cancelled (its counts are still saved): "succeeded" only
 * replaces "running". Returns the row as it ends.
 */
export async function finish(engine: Engine, runId: string, status: "succeeded" | "cancelled", counts: TRunCounts, plan: TPlanEntry[] | null): Promise<TRunRow> {
  const from = status === "succeeded" ? ["running"] : ["running", "cancelled"];
  const [row] = await engine.db
    .update(runs)
    .set({ status, counts, phase: null, leaseOwner: null, leaseUntil: null, finishedAt: sql`coalesce(${runs.finishedAt}, now())`, ...(plan ? { plan: { entries: plan, truncated: plan.length >= PLAN_LIMIT } } : {}) })
    .where(and(eq(runs.id, runId), inArray(runs.status, from)))
    .returning();
  if (!row) {
    await engine.db.update(runs).set({ counts, phase: null, leaseOwner: null, leaseUntil: null }).where(eq(runs.id, runId));
    const [now] = await engine.db.select().from(runs).where(eq(runs.id, runId));
    engine.bus.emit({ type: "run", id: runId, status: now!.status, phase: null, counts: { ...counts }, percent: 100 });
    return now!;
  }
  engine.bus.emit({ type: "run", id: runId, status, phase: null, counts: { ...counts }, percent: 100 });
  wakeOnCommit(engine.db); // deliveries held while it listed can go now
  return row;
}

export async function fail(engine: Engine, runId: string, message: string, counts: TRunCounts): Promise<TRunRow> {
  engine.log.warn({ runId, err: message }, "run failed");
  await engine.db
    .update(runs)
    .set({ status: "failed", error: message, counts, finishedAt: sql`now()`, phase: null, leaseOwner: null, leaseUntil: null })
    .where(and(eq(runs.id, runId), inArray(runs.status, ["queued", "running"])));
  const [row] = await engine.db.select().from(runs).where(eq(runs.id, runId));
  engine.bus.emit({ type: "run", id: runId, status: row!.status, phase: null, counts: { ...counts }, percent: null });
  wakeOnCommit(engine.db); // deliveries held while it listed can go now
  return row!;
}
