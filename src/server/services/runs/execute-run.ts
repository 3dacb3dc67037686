import { and, eq, sql } from "drizzle-orm";
import { bindingFor } from "~/sync/config";
import { isSyncError } from "~/sync/errors";
import { queryRows } from "~/server/db";
import { runItems, runs, type TRunCounts, type TRunRow } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { connectorFor } from "../connections/connector-for";
import { getConnection } from "../connections/get-connection";
import { acquireRequestSlot } from "../delivery/rate-limit";
import { applyChange } from "../ingest/apply-change";
import { ingestPage, type TPageItem } from "./ingest-page";
import { planPage, type TPlanEntry } from "./plan-page";
import { countOutcome } from "./run-counts";

export interface ExecuteRunOptions {
  pageSize?: number;
  /** A run that would delete more than this share of the system's linked records stops and asks. */
  deleteShare?: number;
}

const PLAN_LIMIT = 2000;

/**
 * A full reconcile (or its dry run) of one entity from one system: read every page, apply (or plan)
 * each document, then treat linked records the listing no longer holds as deleted there, but only
 * behind the mass-delete guard; a listing that fails part-way infers no deletes at all.
 */
export async function executeRun(engine: Engine, runId: string, opts: ExecuteRunOptions = {}): Promise<TRunRow> {
  const [run] = await engine.db.update(runs).set({ status: "running", phase: "reading", startedAt: sql`now()` }).where(eq(runs.id, runId)).returning();
  if (!run) throw new Error(`no run ${runId}`);
  const counts = { ...run.counts };
  const dry = run.kind === "dry-run";
  const plan: TPlanEntry[] = [];
  const tell = (phase: string, current: string | null = null) =>
    engine.bus.emit({ type: "run", id: runId, status: "running", phase, counts: { ...counts }, percent: null, current });
  try {
    const binding = bindingFor(engine.config, run.entity, run.system)!;
    const conn = await getConnection(engine, run.system);
    const connector = connectorFor(engine, conn);
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      if (await isCancelled(engine, runId)) return await finish(engine, runId, "cancelled", counts, dry ? plan : null);
      await acquireRequestSlot(engine, run.system, conn.rateLimitPerSecond);
      const page = await connector.list(binding.resource, { cursor, limit: opts.pageSize ?? 200 });
      counts.fetched += page.items.length;
      for (const doc of page.items) seen.add(String(doc[binding.idField]));
      if (dry) {
        const entries = await planPage(engine.db, { config: engine.config, entity: run.entity, system: run.system, docs: page.items, now: engine.now() });
        for (const e of entries) countOutcome(counts, e.action === "create" ? "created" : e.action === "conflict" ? "conflict" : e.action === "link" ? "linked" : "applied");
        plan.push(...entries.slice(0, PLAN_LIMIT - plan.length));
      } else {
        const items = await engine.db.transaction((tx) => ingestPage(tx, { config: engine.config, entity: run.entity, system: run.system, docs: page.items, runId, now: engine.now() }));
        await recordItems(engine, runId, items, counts);
        engine.bus.wake();
      }
      await engine.db.update(runs).set({ counts }).where(eq(runs.id, runId));
      tell("reading", page.items.length ? String(page.items.at(-1)![binding.idField]) : null);
      cursor = page.next;
    } while (cursor);

    const missing = await missingLinks(engine, run, seen);
    if (missing.total > 0 && missing.ids.length > missing.total * (opts.deleteShare ?? 0.1)) {
      const share = Math.round((missing.ids.length / missing.total) * 100);
      const held = { deletes: missing.ids.slice(0, PLAN_LIMIT), deleteCount: missing.ids.length, linkedCount: missing.total, entries: dry ? plan : undefined };
      await engine.db
        .update(runs)
        .set({ status: "awaiting-approval", phase: "deletes held", plan: held, counts, error: `This run would delete ${missing.ids.length} of ${missing.total} linked records (${share} %). Approve or reject it on the Runs page.` })
        .where(eq(runs.id, runId));
      engine.bus.emit({ type: "run", id: runId, status: "awaiting-approval", phase: "deletes held", counts: { ...counts }, percent: null });
      return (await engine.db.select().from(runs).where(eq(runs.id, runId)))[0]!;
    }
    if (dry) {
      for (const id of missing.ids.slice(0, Math.max(0, PLAN_LIMIT - plan.length))) {
        plan.push({ externalId: id, recordId: null, label: id, action: "delete", fields: {}, targets: [] });
      }
      counts.deleted += missing.ids.length;
    } else await applyDeletes(engine, run, missing.ids, counts);
    return await finish(engine, runId, "succeeded", counts, dry ? plan : null);
  } catch (err) {
    const message = isSyncError(err) ? err.message : err instanceof Error ? err.message : String(err);
    engine.log.warn({ runId, err: message }, "run failed");
    await engine.db.update(runs).set({ status: "failed", error: message, counts, finishedAt: sql`now()`, phase: null }).where(eq(runs.id, runId));
    engine.bus.emit({ type: "run", id: runId, status: "failed", phase: null, counts: { ...counts }, percent: null });
    return (await engine.db.select().from(runs).where(eq(runs.id, runId)))[0]!;
  }
}

/** After an admin approves a held run: apply its deletes and finish it. */
export async function applyDeletes(engine: Engine, run: TRunRow, externalIds: string[], counts: TRunCounts): Promise<void> {
  for (const externalId of externalIds) {
    const r = await engine.db.transaction((tx) => applyChange(tx, engine.config, { entity: run.entity, system: run.system, kind: "delete", externalId, doc: null, eventTime: engine.now(), runId: run.id }, engine.now()));
    await recordItems(engine, run.id, [{ externalId, recordId: r.recordId, label: externalId, outcome: r.outcome }], counts);
  }
  engine.bus.wake();
}

async function recordItems(engine: Engine, runId: string, items: TPageItem[], counts: TRunCounts): Promise<void> {
  for (const i of items) countOutcome(counts, i.outcome);
  if (items.length === 0) return;
  await engine.db.insert(runItems).values(items.map((i) => ({ runId, recordId: i.recordId, externalId: i.externalId, label: i.label, outcome: i.outcome, error: i.error ?? null })));
}

async function missingLinks(engine: Engine, run: TRunRow, seen: Set<string>): Promise<{ ids: string[]; total: number }> {
  const rows = await queryRows<{ external_id: string }>(
    engine.db,
    sql`select l.external_id from links l join records r on r.id = l.record_id
         where l.system = ${run.system} and l.entity = ${run.entity} and r.deleted_at is null
           and not coalesce(l.last_values ? '$deleted', false)`,
  );
  return { ids: rows.map((r) => r.external_id).filter((id) => !seen.has(id)), total: rows.length };
}

async function isCancelled(engine: Engine, runId: string): Promise<boolean> {
  const [row] = await engine.db.select({ status: runs.status }).from(runs).where(eq(runs.id, runId));
  return row?.status === "cancelled";
}

async function finish(engine: Engine, runId: string, status: string, counts: TRunCounts, plan: TPlanEntry[] | null): Promise<TRunRow> {
  const [row] = await engine.db
    .update(runs)
    .set({ status, counts, phase: null, finishedAt: sql`now()`, ...(plan ? { plan: { entries: plan, truncated: plan.length >= PLAN_LIMIT } } : {}) })
    .where(and(eq(runs.id, runId), sql`${runs.status} in ('running', 'cancelled', 'awaiting-approval')`))
    .returning();
  engine.bus.emit({ type: "run", id: runId, status, phase: null, counts: { ...counts }, percent: 100 });
  return row ?? (await engine.db.select().from(runs).where(eq(runs.id, runId)))[0]!;
}
