import { and, eq, sql } from "drizzle-orm";
import { bindingFor } from "~/sync/config";
import { isSyncError } from "~/sync/errors";
import { runs, type TRunRow } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { connectorFor } from "../connections/connector-for";
import { getConnection } from "../connections/get-connection";
import { advanceCursor } from "./incremental-window";
import { ingestPage } from "./ingest-page";
import { planPage, type TPlanEntry } from "./plan-page";
import { countOutcome } from "./run-counts";
import { applyDeletes, confirmMissing, forgetSeen, holdDeletes, markSeen, missingLinks } from "./run-deletes";
import { fail, finish, isCancelled, PLAN_LIMIT, recordItems, saveProgress } from "./run-progress";
import { openSource } from "./run-source";
import { refreshValueMaps } from "../fleet/value-maps";
import { validatePage } from "./validate-page";
import { holdNearMatches } from "../duplicates/hold-near-matches";
import { loadNearMatchScreens } from "../duplicates/near-match-screen";
import { overlapMs as overlapSetting } from "./run-settings";

export { applyDeletes } from "./run-deletes";

export interface ExecuteRunOptions {
  pageSize?: number;
  /** A run that would delete more than this share of the system's linked records stops and asks. */
  deleteShare?: number;
  /** Incremental runs read from `cursor − overlapMs` (default: the setting, else 2 minutes). */
  overlapMs?: number;
}

/**
 * Runs a queued run to its end, page by page, by kind:
 * - full: read every document, apply it, then treat linked records the listing no longer holds as
 *   deleted — behind the mass-delete guard; a listing that fails part-way infers no deletes at all;
 * - dry-run: the same reading, planned (per record and field) instead of applied;
 * - incremental: only documents changed since the cursor minus an overlap; never infers deletes;
 * - selective: given documents and/or a date range; never infers deletes.
 * A complete full or incremental read moves the cursor to the instant it STARTED (see incremental-window).
 * Cancelling stops it before its next request; every page applied so far stays applied, with its deliveries.
 */
export async function executeRun(engine: Engine, runId: string, opts: ExecuteRunOptions = {}): Promise<TRunRow> {
  const [run] = await engine.db
    .update(runs)
    .set({ status: "running", phase: "reading", startedAt: sql`now()` })
    .where(and(eq(runs.id, runId), eq(runs.status, "queued")))
    .returning();
  if (!run) {
    const [row] = await engine.db.select().from(runs).where(eq(runs.id, runId));
    if (!row) throw new Error(`no run ${runId}`);
    return row; // cancelled (or already taken) before it started
  }
  const counts = { ...run.counts };
  const dry = run.kind === "dry-run";
  const plan: TPlanEntry[] = [];
  try {
    await refreshValueMaps(engine);
    const binding = bindingFor(engine.config, run.entity, run.system)!;
    const conn = await getConnection(engine, run.system);
    const connector = connectorFor(engine, conn);
    const source = await openSource({
      engine,
      run,
      binding,
      conn,
      connector,
      pageSize: opts.pageSize ?? 200,
      overlapMs: opts.overlapMs ?? (await overlapSetting(engine.db)),
      stop: () => isCancelled(engine, runId),
    });
    // A full run into a system holding unlinked documents holds near-match creates for review.
    const screens = run.kind === "full" ? await loadNearMatchScreens(engine, { entity: run.entity, origin: run.system }) : [];
    for await (const page of source.pages) {
      counts.fetched += page.docs.length;
      if (source.infersDeletes) await markSeen(engine, runId, page.docs.map((doc) => String(doc[binding.idField])));
      await recordItems(engine, runId, page.missing, counts);
      if (dry) {
        const entries = await planPage(engine.db, { config: engine.config, entity: run.entity, system: run.system, docs: page.docs, now: engine.now() });
        for (const e of entries) countOutcome(counts, e.action === "create" ? "created" : e.action === "conflict" ? "conflict" : e.action === "link" ? "linked" : "applied");
        plan.push(...entries.slice(0, PLAN_LIMIT - plan.length));
      } else if (run.kind === "validate") {
        const checked = await validatePage(engine.db, { config: engine.config, entity: run.entity, system: run.system, docs: page.docs });
        const invalid = checked.filter((i) => i.outcome === "invalid");
        counts.unchanged += checked.length - invalid.length;
        await recordItems(engine, runId, invalid, counts);
      } else if (page.docs.length) {
        const items = await engine.db.transaction(async (tx) => {
          const applied = await ingestPage(tx, { config: engine.config, entity: run.entity, system: run.system, docs: page.docs, runId, now: engine.now() });
          const recordIds = applied.flatMap((i) => (i.recordId ? [i.recordId] : []));
          await holdNearMatches(tx, { runId, entity: engine.config.entities[run.entity]!, recordIds, screens });
          return applied;
        });
        await recordItems(engine, runId, items, counts);
        engine.bus.wake();
      }
      await saveProgress(engine, runId, counts);
      const current = page.docs.length ? String(page.docs.at(-1)![binding.idField]) : null;
      const percent = page.total ? Math.min(99, Math.floor((counts.fetched / page.total) * 100)) : null;
      engine.bus.emit({ type: "run", id: runId, status: "running", phase: "reading", counts: { ...counts }, percent, current });
    }
    await listingDone(engine, runId);
    if (await isCancelled(engine, runId)) return await finish(engine, runId, "cancelled", counts, dry ? plan : null);
    // The whole listing was read: whatever changed after `cursorAt` is for the next incremental run.
    if (source.cursorAt && !dry) await advanceCursor(engine.db, { entity: run.entity, system: run.system, startedAt: source.cursorAt });
    if (!source.infersDeletes) return await finish(engine, runId, "succeeded", counts, null);

    const listed = await missingLinks(engine, run);
    const missing = { total: listed.total, ids: await confirmMissing({ engine, run, connector, binding, rateLimitPerSecond: conn.rateLimitPerSecond, ids: listed.ids, counts, dry }) };
    if (missing.total > 0 && missing.ids.length > missing.total * (opts.deleteShare ?? 0.1)) {
      return await holdDeletes(engine, run, missing, counts, dry ? plan : null);
    }
    if (dry) {
      for (const id of missing.ids.slice(0, Math.max(0, PLAN_LIMIT - plan.length))) {
        plan.push({ externalId: id, recordId: null, label: id, action: "delete", fields: {}, targets: [] });
      }
      counts.deleted += missing.ids.length;
    } else await applyDeletes(engine, run, missing.ids, counts);
    return await finish(engine, runId, "succeeded", counts, dry ? plan : null);
  } catch (err) {
    return await fail(engine, runId, isSyncError(err) ? err.message : err instanceof Error ? err.message : String(err), counts);
  } finally {
    await forgetSeen(engine, runId).catch((err: unknown) => engine.log.warn({ err, runId }, "could not clear the run's seen ids"));
  }
}

/** The listing is read: deliveries held for this system while it was (see claim.ts LISTING) go now. */
async function listingDone(engine: Engine, runId: string): Promise<void> {
  await engine.db.update(runs).set({ phase: "finishing" }).where(and(eq(runs.id, runId), eq(runs.phase, "reading")));
  engine.bus.wake();
}
