import { eq } from "drizzle-orm";
import { bindingFor } from "~/sync/config";
import { isSyncError } from "~/sync/errors";
import { runs, type TRunCounts, type TRunPosition, type TRunRow } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { connectorFor } from "../connections/connector-for";
import { getConnection } from "../connections/get-connection";
import { refreshValueMaps } from "../fleet/value-maps";
import { advanceCursor } from "./incremental-window";
import { ingestPage } from "./ingest-page";
import { holdNearMatches } from "../duplicates/hold-near-matches";
import { loadNearMatchScreens, type TNearMatchScreen } from "../duplicates/near-match-screen";
import { storedPlanEntries } from "./plan-entries";
import { planPage, type TPlanEntry } from "./plan-page";
import { countOutcome } from "./run-counts";
import { applyDeletes, confirmMissing, forgetSeen, holdDeletes, markSeen, missingLinks } from "./run-deletes";
import { claimRun, inLease, keepLease, LeaseLost, releaseRun, type TContinuedBy, type TLease } from "./run-lease";
import { fail, finish, isCancelled, PLAN_LIMIT, recordItemsIn } from "./run-progress";
import { overlapMs as overlapSetting } from "./run-settings";
import { openSource, type TSource, type TSourcePage } from "./run-source";
import { validatePage } from "./validate-page";
import { wakeOnCommit } from "~/server/db/wake-on-commit";

export interface ExecuteRunOptions {
  pageSize?: number;
  /** A run that would delete more than this share of the system's linked records stops and asks. */
  deleteShare?: number;
  /** Incremental runs read from `cursor − overlapMs` (default: the setting, else 2 minutes). */
  overlapMs?: number;
  /** Who runs it (kept in the run's continuations); default "request". */
  by?: TContinuedBy;
}

export interface ContinueRunOptions extends ExecuteRunOptions {
  by: TContinuedBy;
  /** Epoch ms: stop at the last page boundary before it and let the run go (a tick's or function's budget). */
  deadline?: number | null;
}

/** A source failing this many times in a row (each after a pause, across invocations) abandons the run. */
const MAX_SOURCE_FAILURES = 3;
const sourceBackoffMs = (failures: number) => Math.min(60_000, 1_000 * 2 ** (failures - 1));

interface TState {
  counts: TRunCounts;
  position: TRunPosition | null;
  plan: TPlanEntry[];
}

/**
 * Takes a run up where its last committed page left it — a queued run, or a running one whose lease ran
 * out — and reads on page by page. Each page's effects (records, links, deliveries, items, the ids the
 * listing saw) commit in one transaction with the run's counts and position, and only while this claim
 * still holds the run, so a run continued anywhere never skips a page nor applies one twice. With a
 * `deadline` it stops at a page boundary before it and releases the run (status stays running: the next
 * tick, worker or request continues it). Deletes are inferred only once the whole listing has been read,
 * however many invocations that took. Returns null when another process holds the run.
 */
export async function continueRun(engine: Engine, runId: string, opts: ContinueRunOptions): Promise<TRunRow | null> {
  const claim = await claimRun(engine, runId, opts.by);
  if (!claim) return null;
  const { run, lease } = claim;
  const keeper = keepLease(engine, lease);
  const state: TState = { counts: { ...run.counts }, position: run.position ?? null, plan: run.kind === "dry-run" ? storedPlanEntries(run.plan) : [] };
  let row: TRunRow;
  try {
    row = await readOn(engine, run, lease, state, opts, keeper.lost);
  } catch (err) {
    row = err instanceof LeaseLost ? await interrupted(engine, run, state) : await sourceFailed(engine, run, lease, state, err);
  } finally {
    keeper.stop();
  }
  if (row.status !== "running") await forgetSeen(engine, runId).catch((err: unknown) => engine.log.warn({ err, runId }, "could not clear the run's seen ids"));
  return row;
}

async function readOn(engine: Engine, run: TRunRow, lease: TLease, state: TState, opts: ContinueRunOptions, lost: () => boolean): Promise<TRunRow> {
  await refreshValueMaps(engine);
  const binding = bindingFor(engine.config, run.entity, run.system);
  if (!binding) return fail(engine, run.id, `${run.entity} no longer lives in ${run.system}.`, state.counts);
  const conn = await getConnection(engine, run.system);
  const connector = connectorFor(engine, conn);
  const stop = async () => lost() || (await isCancelled(engine, run.id));
  const source = await openSource({ engine, run, binding, conn, connector, pageSize: opts.pageSize ?? 200, overlapMs: opts.overlapMs ?? (await overlapSetting(engine.db)), stop }, state.position);
  // A full run into a system holding unlinked documents holds near-match creates for review.
  const screens = run.kind === "full" ? await loadNearMatchScreens(engine, { entity: run.entity, origin: run.system }) : [];
  let slowest = 0;
  for await (const page of source.pages) {
    const t0 = Date.now();
    await commitPage(engine, run, lease, state, source, page, { idField: binding.idField, screens });
    slowest = Math.max(slowest, Date.now() - t0);
    if (opts.deadline && state.position?.stage !== "listed" && Date.now() + slowest > opts.deadline) {
      await releaseRun(engine, lease);
      return (await engine.db.select().from(runs).where(eq(runs.id, run.id)))[0]!;
    }
  }
  if (await stop()) throw new LeaseLost(run.id);
  const dry = run.kind === "dry-run";
  // The whole listing is read: deliveries held for this system while it was (concord_system_takes_deliveries, drizzle/0011) go now, and
  // whatever changed after `cursorAt` is for the next incremental run.
  await inLease(engine, lease, async (tx) => {
    state.position = { ...(state.position ?? { pages: 0, failures: 0, lastError: null }), stage: "listed", cursor: null, offset: 0, cursorAt: source.cursorAt };
    await tx.update(runs).set({ phase: "finishing", position: state.position }).where(eq(runs.id, run.id));
    if (source.cursorAt && !dry) await advanceCursor(tx, { entity: run.entity, system: run.system, startedAt: new Date(source.cursorAt) });
    wakeOnCommit(tx);
  });
  const plan = dry ? state.plan : null;
  if (!source.infersDeletes) return finish(engine, run.id, "succeeded", state.counts, null);

  const listed = await missingLinks(engine, run);
  const missing = { total: listed.total, ids: await confirmMissing({ engine, run, connector, binding, ids: listed.ids, counts: state.counts, dry }) };
  if (missing.total > 0 && missing.ids.length > missing.total * (opts.deleteShare ?? 0.1)) return holdDeletes(engine, run, missing, state.counts, plan);
  if (plan) {
    for (const id of missing.ids.slice(0, Math.max(0, PLAN_LIMIT - plan.length))) plan.push({ externalId: id, recordId: null, label: id, action: "delete", fields: {}, targets: [] });
    state.counts.deleted += missing.ids.length;
  } else await applyDeletes(engine, run, missing.ids, state.counts);
  return finish(engine, run.id, "succeeded", state.counts, plan);
}

/** One page: its effects, items, seen ids, the run's counts and next position, in one transaction under the lease. */
async function commitPage(
  engine: Engine,
  run: TRunRow,
  lease: TLease,
  state: TState,
  source: TSource,
  page: TSourcePage,
  { idField, screens }: { idField: string; screens: TNearMatchScreen[] },
): Promise<void> {
  const counts = { ...state.counts, fetched: state.counts.fetched + page.docs.length };
  const position: TRunPosition = { ...page.next, cursorAt: source.cursorAt, pages: (state.position?.pages ?? 0) + 1, failures: 0, lastError: null };
  const dry = run.kind === "dry-run";
  const opts = { config: engine.config, entity: run.entity, system: run.system, docs: page.docs };
  const planned = dry ? await planPage(engine.db, { ...opts, now: engine.now() }) : [];
  const plan = dry ? [...state.plan, ...planned.slice(0, Math.max(0, PLAN_LIMIT - state.plan.length))] : null;
  await inLease(engine, lease, async (tx) => {
    if (source.infersDeletes) await markSeen(tx, run.id, page.docs.map((doc) => String(doc[idField])));
    await recordItemsIn(tx, run.id, page.missing, counts);
    if (dry) {
      for (const e of planned) countOutcome(counts, e.action === "create" ? "created" : e.action === "conflict" ? "conflict" : e.action === "link" ? "linked" : "applied");
    } else if (run.kind === "validate") {
      const checked = await validatePage(tx, opts);
      const invalid = checked.filter((i) => i.outcome === "invalid");
      counts.unchanged += checked.length - invalid.length;
      await recordItemsIn(tx, run.id, invalid, counts);
    } else if (page.docs.length) {
      const applied = await ingestPage(tx, { ...opts, runId: run.id, now: engine.now() });
      const recordIds = applied.flatMap((i) => (i.recordId ? [i.recordId] : []));
      await holdNearMatches(tx, { runId: run.id, entity: engine.config.entities[run.entity]!, recordIds, screens });
      await recordItemsIn(tx, run.id, applied, counts);
    }
    await tx
      .update(runs)
      .set({ counts, position, ...(plan ? { plan: { entries: plan, truncated: plan.length >= PLAN_LIMIT } } : {}) })
      .where(eq(runs.id, run.id));
  });
  Object.assign(state, { counts, position, plan: plan ?? state.plan });
  const current = page.docs.length ? String(page.docs.at(-1)![idField]) : null;
  const percent = page.total ? Math.min(99, Math.floor((counts.fetched / page.total) * 100)) : null;
  engine.bus.emit({ type: "run", id: run.id, status: "running", phase: "reading", counts: { ...counts }, percent, current });
}

/** The claim ended under it: cancelled (it ends so, with what it committed) or taken up by another process (left to it). */
async function interrupted(engine: Engine, run: TRunRow, state: TState): Promise<TRunRow> {
  const [now] = await engine.db.select().from(runs).where(eq(runs.id, run.id));
  if (now?.status === "cancelled") return finish(engine, run.id, "cancelled", state.counts, run.kind === "dry-run" ? state.plan : null);
  return now!;
}

/**
 * The source (or the database) failed. A permanent error fails the run with its words. A passing one lets the
 * run go with the failure counted in its position, to be taken up again after a pause; only a source failing
 * MAX_SOURCE_FAILURES times in a row abandons the run, with the reason.
 */
async function sourceFailed(engine: Engine, run: TRunRow, lease: TLease, state: TState, err: unknown): Promise<TRunRow> {
  const message = err instanceof Error ? err.message : String(err);
  if (isSyncError(err) && !err.retryable) return fail(engine, run.id, message, state.counts);
  const failures = (state.position?.failures ?? 0) + 1;
  if (failures >= MAX_SOURCE_FAILURES) {
    return fail(engine, run.id, `Abandoned: reading ${run.system} failed ${failures} times in a row (last: ${message}). What it applied stays applied; start it again.`, state.counts);
  }
  engine.log.warn({ runId: run.id, err: message, failures }, "run paused after a failure: it goes on after a pause");
  const position: TRunPosition = { ...(state.position ?? { stage: "list", cursor: null, offset: 0, cursorAt: null, pages: 0 }), failures, lastError: message };
  const retryAt = new Date(Date.now() + sourceBackoffMs(failures));
  await engine.db.update(runs).set({ position }).where(eq(runs.id, run.id));
  await releaseRun(engine, lease, retryAt);
  return (await engine.db.select().from(runs).where(eq(runs.id, run.id)))[0]!;
}
