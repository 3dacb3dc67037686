import { and, asc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { bindingFor, type TBinding } from "~/sync/config";
import type { TDoc } from "~/sync/connectors";
import { isSyncError } from "~/sync/errors";
import { mapIn } from "~/sync/mapping";
import type { Db } from "~/server/db";
import { links, records, runs, type TRunRow } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { connectorFor } from "../connections/connector-for";
import { getConnection } from "../connections/get-connection";
import { applyChange } from "../ingest/apply-change";
import { ingestPage, type TPageItem } from "./ingest-page";
import { planDifference } from "./plan-entries";
import { planPage, type TPlanEntry } from "./plan-page";
import { fail, finish, isCancelled, recordItems, saveProgress } from "./run-progress";

const PAGE = 50;
const STALE = "Nothing applied: run a new dry run to see what a sync would do now.";

interface TFetched {
  entry: TPlanEntry;
  /** The document as the system holds it now; null when it answered 404. */
  doc: TDoc | null;
}

/**
 * Runs an apply of plan entries (see apply-plan.ts) to its end, a page at a time: read each chosen document
 * again, then in one transaction — with the records concerned locked — plan it again and apply only those
 * whose plan is unchanged, through the same path as every run (ingestPage, or a delete for a planned delete).
 */
export async function executePlanApply(engine: Engine, runId: string, entries: TPlanEntry[]): Promise<TRunRow> {
  const [run] = await engine.db
    .update(runs)
    .set({ status: "running", phase: "applying the plan", startedAt: sql`now()` })
    .where(and(eq(runs.id, runId), eq(runs.status, "queued")))
    .returning();
  if (!run) return (await engine.db.select().from(runs).where(eq(runs.id, runId)))[0]!;
  const counts = { ...run.counts };
  try {
    const binding = bindingFor(engine.config, run.entity, run.system);
    if (!binding) throw new Error(`${run.entity} no longer lives in ${run.system}.`);
    const conn = await getConnection(engine, run.system);
    const connector = connectorFor(engine, conn);
    for (let i = 0; i < entries.length; i += PAGE) {
      if (await isCancelled(engine, runId)) return await finish(engine, runId, "cancelled", counts, null);
      const fetched: TFetched[] = [];
      for (const entry of entries.slice(i, i + PAGE)) {
        fetched.push({ entry, doc: await connector.get(binding.resource, entry.externalId) });
      }
      counts.fetched += fetched.filter((f) => f.doc).length;
      const items = await engine.db.transaction((tx) => applyPage(tx, { engine, run, binding, systemName: conn.def.name, fetched }));
      await recordItems(engine, runId, items, counts);
      await saveProgress(engine, runId, counts);
      const done = Math.min(entries.length, i + PAGE);
      engine.bus.emit({ type: "run", id: runId, status: "running", phase: "applying the plan", counts: { ...counts }, percent: Math.min(99, Math.floor((done / entries.length) * 100)) });
    }
    return await finish(engine, runId, "succeeded", counts, null);
  } catch (err) {
    return await fail(engine, runId, isSyncError(err) ? err.message : err instanceof Error ? err.message : String(err), counts);
  }
}

async function applyPage(tx: Db, ctx: { engine: Engine; run: TRunRow; binding: TBinding; systemName: string; fetched: TFetched[] }): Promise<TPageItem[]> {
  const { engine, run, binding, fetched } = ctx;
  const entity = engine.config.entities[run.entity]!;
  const now = engine.now();
  await lockRecords(tx, ctx);
  const items: TPageItem[] = [];
  const item = (e: TPlanEntry, outcome: TPageItem["outcome"], error?: string): TPageItem => ({ externalId: e.externalId, recordId: e.recordId, label: e.label, outcome, error });

  const present = fetched.filter((f) => f.entry.action !== "delete" && f.doc) as { entry: TPlanEntry; doc: TDoc }[];
  for (const f of fetched) {
    if (f.entry.action !== "delete" && !f.doc) items.push(item(f.entry, "failed", `${ctx.systemName} no longer has this document. ${STALE}`));
  }
  const again = new Map((await planPage(tx, { config: engine.config, entity: run.entity, system: run.system, docs: present.map((f) => f.doc), now })).map((e) => [e.externalId, e]));
  const apply: TDoc[] = [];
  for (const f of present) {
    const current = again.get(f.entry.externalId);
    if (!current) {
      const filtered = !mapIn(binding, entity, f.doc).included;
      items.push(item(f.entry, filtered ? "filtered" : "unchanged", filtered ? `It no longer passes ${ctx.systemName}'s filters: nothing applied.` : "It already agrees with Concord: nothing left to apply."));
      continue;
    }
    const diff = planDifference(f.entry, current);
    if (diff) items.push(item(f.entry, "failed", `Changed since the dry run: ${diff}. ${STALE}`));
    else apply.push(f.doc);
  }
  if (apply.length) items.push(...(await ingestPage(tx, { config: engine.config, entity: run.entity, system: run.system, docs: apply, runId: run.id, now })));

  for (const f of fetched.filter((x) => x.entry.action === "delete")) {
    if (f.doc) {
      items.push(item(f.entry, "failed", `${ctx.systemName} still has this document, so it is no longer a delete. ${STALE}`));
      continue;
    }
    const r = await tx.transaction((sp) => applyChange(sp, engine.config, { entity: run.entity, system: run.system, kind: "delete", externalId: f.entry.externalId, doc: null, eventTime: now, runId: run.id }, now));
    items.push({ ...item(f.entry, r.outcome, r.outcome === "deleted" ? undefined : r.detail), recordId: r.recordId });
  }
  return items;
}

/** Locks (in id order) the records the page's documents are linked to or share a natural key with, so nothing changes them between the check and the apply. */
async function lockRecords(tx: Db, ctx: { engine: Engine; run: TRunRow; binding: TBinding; fetched: TFetched[] }): Promise<void> {
  const { run } = ctx;
  const entity = ctx.engine.config.entities[run.entity]!;
  const ids = ctx.fetched.map((f) => f.entry.externalId);
  const keys = ctx.fetched.flatMap((f) => {
    const key = f.doc ? mapIn(ctx.binding, entity, f.doc).values[entity.naturalKey] : undefined;
    return typeof key === "string" ? [key] : [];
  });
  const linked = (await tx.select({ id: links.recordId }).from(links).where(and(eq(links.system, run.system), eq(links.entity, run.entity), inArray(links.externalId, ids)))).map((l) => l.id);
  const which: SQL[] = [];
  if (linked.length) which.push(inArray(records.id, linked));
  if (keys.length) which.push(and(eq(records.entity, run.entity), inArray(records.naturalKey, keys))!);
  if (which.length) await tx.select({ id: records.id }).from(records).where(or(...which)).orderBy(asc(records.id)).for("update");
}
