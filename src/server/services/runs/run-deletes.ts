import { eq, sql } from "drizzle-orm";
import { queryRows, type Db } from "~/server/db";
import { runSeen, runs, type TRunCounts, type TRunRow } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TBinding } from "~/sync/config";
import type { Connector } from "~/sync/connectors";
import { applyChange } from "../ingest/apply-change";
import { ingestPage } from "./ingest-page";
import type { TPlanEntry } from "./plan-page";
import { PLAN_LIMIT, recordItems } from "./run-progress";

/** Remembers which external ids a full run's listing held (one statement per page). */
export async function markSeen(db: Db, runId: string, externalIds: string[]): Promise<void> {
  if (externalIds.length === 0) return;
  await db
    .insert(runSeen)
    .values(externalIds.map((externalId) => ({ runId, externalId })))
    .onConflictDoNothing();
}

/** The run's scratch list of ids seen, no longer needed. */
export async function forgetSeen(engine: Engine, runId: string): Promise<void> {
  await engine.db.delete(runSeen).where(eq(runSeen.runId, runId));
}

/** Linked, live records of (entity, system) whose documents the run's complete listing did not hold. */
export async function missingLinks(engine: Engine, run: TRunRow): Promise<{ ids: string[]; total: number }> {
  const [row] = await queryRows<{ total: number | string; ids: string[] | null }>(
    engine.db,
    sql`select count(*) as total, array_agg(l.external_id order by l.external_id) filter (where s.external_id is null) as ids
          from links l join records r on r.id = l.record_id
          left join run_seen s on s.run_id = ${run.id} and s.external_id = l.external_id
         where l.system = ${run.system} and l.entity = ${run.entity} and r.deleted_at is null
           and not coalesce(l.last_values ? '$deleted', false)`,
  );
  return { ids: row?.ids ?? [], total: Number(row?.total ?? 0) };
}

/**
 * A page-numbered listing read while documents change can skip some (an update moves a document to
 * the end and shifts the pages). Before anything counts as deleted, each candidate is read on its own:
 * only a document the system says is gone (404) is a delete; one that is still there is applied now.
 */
export async function confirmMissing(opts: {
  engine: Engine;
  run: TRunRow;
  connector: Connector;
  binding: TBinding;
  ids: string[];
  counts: TRunCounts;
  dry: boolean;
}): Promise<string[]> {
  const { engine, run } = opts;
  const gone: string[] = [];
  for (const id of opts.ids) {
    const doc = await opts.connector.get(opts.binding.resource, id);
    if (!doc) {
      gone.push(id);
      continue;
    }
    opts.counts.fetched += 1;
    if (opts.dry) continue;
    const items = await engine.db.transaction((tx) => ingestPage(tx, { config: engine.config, entity: run.entity, system: run.system, docs: [doc], runId: run.id, now: engine.now() }));
    await recordItems(engine, run.id, items, opts.counts);
  }
  return gone;
}

/** The mass-delete guard: a run that would delete more than `share` of the linked records stops and asks. */
export async function holdDeletes(engine: Engine, run: TRunRow, missing: { ids: string[]; total: number }, counts: TRunCounts, plan: TPlanEntry[] | null): Promise<TRunRow> {
  const share = Math.round((missing.ids.length / missing.total) * 100);
  const held = { deletes: missing.ids.slice(0, PLAN_LIMIT), deleteCount: missing.ids.length, linkedCount: missing.total, entries: plan ?? undefined };
  await engine.db
    .update(runs)
    .set({ status: "awaiting-approval", phase: "deletes held", leaseOwner: null, leaseUntil: null, plan: held, counts, error: `This run would delete ${missing.ids.length} of ${missing.total} linked records (${share} %): approve or reject the deletes on this run's page.` })
    .where(eq(runs.id, run.id));
  engine.bus.emit({ type: "run", id: run.id, status: "awaiting-approval", phase: "deletes held", counts: { ...counts }, percent: null });
  return (await engine.db.select().from(runs).where(eq(runs.id, run.id)))[0]!;
}

/** Applies deletes seen by a complete listing (or approved by an admin), one outcome per item. */
export async function applyDeletes(engine: Engine, run: TRunRow, externalIds: string[], counts: TRunCounts): Promise<void> {
  for (const externalId of externalIds) {
    const r = await engine.db.transaction((tx) => applyChange(tx, engine.config, { entity: run.entity, system: run.system, kind: "delete", externalId, doc: null, eventTime: engine.now(), runId: run.id }, engine.now()));
    await recordItems(engine, run.id, [{ externalId, recordId: r.recordId, label: externalId, outcome: r.outcome }], counts);
  }
}
