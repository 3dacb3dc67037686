import { and, eq } from "drizzle-orm";
import { isSyncError } from "~/sync/errors";
import { schedules } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { Worker } from "~/server/engine/worker";
import { createRun } from "../runs/create-run";
import { continueRun } from "../runs/continue-run";
import { continueRuns } from "../runs/continue-runs";
import { executeRun, type ExecuteRunOptions } from "../runs/execute-run";
import { claimDueSchedules } from "./claim-due-schedules";
import { forgetOldSends } from "../delivery/echo-ledger";
import { isUneditedDefault, NEVER_READ_REASON, pairKey, readCursors, readDefaultMarkers } from "./default-schedules";
import { pruneTombstones } from "../records/prune-tombstones";
import { expireTemporaryPasswords } from "../fleet/temporary-passwords";
import { pruneWebhookEvents } from "../webhooks/prune-webhook-events";
import { pruneRunHistory } from "./prune-run-history";
import { reapAbandonedRuns } from "./reap-abandoned-runs";

export interface TickOptions {
  engine: Engine;
  /** The tick's clock (default engine.now()). */
  now?: Date;
  /** Wall-clock budget for the whole tick. */
  budgetMs: number;
  /** Finished runs older than this are pruned with their items (default 30). */
  historyDays?: number;
  /** Deleted records are kept this long (to be restored), then pruned (default 30). */
  tombstoneDays?: number;
  /** Processed webhook events are kept this long, then pruned (default 7). */
  webhookRetentionDays?: number;
  /**
   * Serverless (default true): work on the runs it starts and on every run waiting to be continued, within
   * most of the budget, stopping each at a page boundary. False (`npm start`'s in-process tick): the runs it
   * starts carry on in this process, and the process's run keeper continues the rest.
   */
  awaitRuns?: boolean;
  /** Drain the webhook inbox and delivery queue with what is left of the budget. Default true. */
  drain?: boolean;
  concurrency?: number;
  staleRunMs?: number;
  run?: ExecuteRunOptions;
}

export interface TTickSummary {
  at: string;
  started: { entity: string; system: string; kind: string; runId: string }[];
  skipped: { entity: string; system: string; reason: string }[];
  /** Runs it started that ended within the budget, and those still going (continued by the next tick, or in this process). */
  finished: number;
  stillRunning: number;
  /** Runs started earlier that it took up where their last committed page left them. */
  continued: string[];
  reaped: number;
  pruned: { runs: number; items: number };
  /** Tombstones past TOMBSTONE_DAYS removed, with their history. */
  prunedTombstones: number;
  /** Processed webhook events past WEBHOOK_RETENTION_DAYS removed. */
  prunedWebhookEvents: number;
  /** Webhook events applied and deliveries sent by the drain. */
  drained: number;
  durationMs: number;
}

/** Waits for `work` at most `ms`, without leaving a timer behind. */
async function atMost(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((r) => (timer = setTimeout(r, Math.max(0, ms))))]);
  clearTimeout(timer);
}

/**
 * One tick of the scheduler, used by GET /api/cron/tick and by the in-process timer of `npm start`:
 * mark abandoned plan applications failed, prune old history, take the due schedules (each by one tick only)
 * and start their runs (a pair with a run going is skipped and logged, and so is a default catch-up schedule
 * of a pair never read completely), work on them and continue every run whose lease ran out (continueRuns)
 * within most of the budget, then drain the queue with the rest. Safe to call concurrently and late: a run
 * is held by one claim at a time, and each page commits only under it.
 */
export async function runTick(opts: TickOptions): Promise<TTickSummary> {
  const { engine } = opts;
  const t0 = Date.now();
  const deadline = t0 + opts.budgetMs;
  const now = opts.now ?? engine.now();
  const runsUntil = t0 + opts.budgetMs * 0.7;
  const reaped = await reapAbandonedRuns(engine, { now, staleMs: opts.staleRunMs });
  const pruned = await pruneRunHistory(engine.db, { before: new Date(now.getTime() - (opts.historyDays ?? 30) * 86_400_000), deadline: t0 + opts.budgetMs * 0.1 });
  const prunedTombstones = await pruneTombstones(engine.db, { before: new Date(now.getTime() - (opts.tombstoneDays ?? 30) * 86_400_000), deadline: t0 + opts.budgetMs * 0.15 });
  const prunedWebhookEvents = await pruneWebhookEvents(engine.db, { before: new Date(now.getTime() - (opts.webhookRetentionDays ?? 7) * 86_400_000), deadline: t0 + opts.budgetMs * 0.2 });
  await forgetOldSends(engine.db);
  await expireTemporaryPasswords(engine);

  const started: TTickSummary["started"] = [];
  const skipped: TTickSummary["skipped"] = [];
  const going: Promise<unknown>[] = [];
  let finished = 0;
  const claimed = await claimDueSchedules(engine, now);
  const [markers, cursors] = claimed.length ? await Promise.all([readDefaultMarkers(engine.db), readCursors(engine.db)]) : [new Map(), new Map()];
  for (const s of claimed) {
    if (isUneditedDefault(markers.get(pairKey(s.entity, s.system))) && !cursors.has(pairKey(s.entity, s.system))) {
      skipped.push({ entity: s.entity, system: s.system, reason: NEVER_READ_REASON });
      continue;
    }
    try {
      const run = await createRun(engine, { entity: s.entity, system: s.system, kind: s.kind, trigger: "schedule", startedBy: "schedule" });
      await engine.db.update(schedules).set({ lastRunId: run.id }).where(and(eq(schedules.entity, s.entity), eq(schedules.system, s.system)));
      started.push({ entity: s.entity, system: s.system, kind: s.kind, runId: run.id });
      const work = opts.awaitRuns !== false ? continueRun(engine, run.id, { ...opts.run, by: "tick", deadline: runsUntil }) : executeRun(engine, run.id, { ...opts.run, by: "tick" });
      going.push(
        work
          .then((row) => void (row && row.status !== "running" && (finished += 1)))
          .catch((err: unknown) => engine.log.error({ err, runId: run.id }, "scheduled run crashed")),
      );
    } catch (err) {
      const reason = isSyncError(err) ? err.message : String(err);
      skipped.push({ entity: s.entity, system: s.system, reason });
      engine.log.info({ entity: s.entity, system: s.system, reason }, "scheduled run skipped");
    }
  }
  if (going.length && opts.awaitRuns !== false) await atMost(Promise.allSettled(going), runsUntil - Date.now());
  const continued = opts.awaitRuns !== false ? await continueRuns(engine, { by: "tick", deadline: runsUntil, run: opts.run }) : [];
  const drained = opts.drain === false ? 0 : await new Worker(engine, { concurrency: opts.concurrency ?? 8 }).drain({ budgetMs: Math.max(0, deadline - Date.now()) });
  const summary: TTickSummary = { at: now.toISOString(), started, skipped, finished, stillRunning: started.length - finished, continued, reaped: reaped.length, pruned, prunedTombstones, prunedWebhookEvents, drained, durationMs: Date.now() - t0 };
  if (started.length || skipped.length || continued.length || reaped.length || pruned.runs || prunedTombstones || prunedWebhookEvents) engine.log.info(summary, "tick");
  return summary;
}
