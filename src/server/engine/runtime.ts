import { env } from "~/env";
import { log } from "~/server/log";
import { continueRuns } from "~/server/services/runs/continue-runs";
import { runTick } from "~/server/services/schedules/run-tick";
import { startEventLog } from "~/server/services/events/event-log";
import { ensureDefaultSchedules } from "~/server/services/schedules/ensure-default-schedules";
import { startCatchUp, type TCatchUpResult } from "~/server/services/schedules/start-catch-up";
import type { Engine } from "./context";
import { bridgeOverPostgres } from "./pg-bridge";
import { Worker } from "./worker";

const g = globalThis as unknown as {
  __concordWorker?: Worker;
  __concordBridge?: Promise<unknown>;
  __concordTick?: NodeJS.Timeout;
  __concordKeeper?: NodeJS.Timeout;
};

/** A long-lived process runs work itself; CONCORD_SERVERLESS=true (or RUN_WORKERS=false) leaves it to the cron tick and after(). */
export const runsWorkHere = () => env.RUN_WORKERS === "true" && !env.CONCORD_SERVERLESS;

/**
 * Joins this process to the others on the same Postgres (PGlite is one process: nothing to join), and starts
 * writing its run and delivery events to `engine_events` for the live streams (both drivers; once per engine).
 */
export function ensureBridge(engine: Engine): Promise<unknown> {
  startEventLog(engine);
  if (!env.DATABASE_URL) return Promise.resolve();
  g.__concordBridge ??= bridgeOverPostgres(engine.bus, env.DATABASE_URL, log, { pooled: env.DATABASE_POOLED, unpooledUrl: env.DATABASE_URL_UNPOOLED }).catch((err: unknown) => {
    g.__concordBridge = undefined;
    log.error({ err }, "could not listen for engine events");
  });
  return g.__concordBridge;
}

/** Starts the in-process worker (self-hosted `npm start`); RUN_WORKERS=false leaves it to `npm run worker`. */
export function startInProcessWorker(engine: Engine): Worker | null {
  if (!runsWorkHere()) return null;
  if (!g.__concordWorker) {
    g.__concordWorker = new Worker(engine, { concurrency: env.WORKER_CONCURRENCY, leaseMs: env.WORKER_LEASE_MS });
    g.__concordWorker.start();
    log.info({ concurrency: env.WORKER_CONCURRENCY }, "delivery worker started");
  }
  return g.__concordWorker;
}

/**
 * Self-hosted (`npm start`, RUN_WORKERS=true): the same tick as GET /api/cron/tick, every minute, in
 * this process. A tick still going when the next is due is skipped; runs it starts carry on in this
 * process; the in-process worker drains the queue, so the tick does not.
 */
export function startInProcessTick(engine: Engine): void {
  if (!runsWorkHere() || g.__concordTick) return;
  let busy = false;
  g.__concordTick = setInterval(() => {
    if (busy) return;
    busy = true;
    runTick({ engine, budgetMs: 55_000, historyDays: env.RUN_HISTORY_DAYS, tombstoneDays: env.TOMBSTONE_DAYS, webhookRetentionDays: env.WEBHOOK_RETENTION_DAYS, awaitRuns: false, drain: !g.__concordWorker })
      .catch((err: unknown) => log.error({ err }, "tick failed"))
      .finally(() => (busy = false));
  }, 60_000);
  g.__concordTick.unref();
  log.info("scheduler tick started (every minute)");
}

/**
 * Long-lived processes (`npm start`, `npm run worker`): at start and every few seconds, take up any run whose
 * lease ran out — its process died, or a tick or request stopped it at its budget — and carry it to its end
 * here, from its last committed page. Once per process; one pass at a time.
 */
export function startRunKeeper(engine: Engine): void {
  if (g.__concordKeeper) return;
  let busy = false;
  const pass = () => {
    if (busy) return;
    busy = true;
    continueRuns(engine, { by: "worker" })
      .then((ids) => ids.length && log.info({ runs: ids }, "continued runs"))
      .catch((err: unknown) => log.error({ err }, "continuing runs failed"))
      .finally(() => (busy = false));
  };
  g.__concordKeeper = setInterval(pass, Math.min(5_000, Math.max(1_000, Math.floor(engine.runLeaseMs / 2))));
  g.__concordKeeper.unref();
  pass();
}

/**
 * At every start: the default catch-up schedules where a source binding never had one, then (when this
 * process runs work: `npm run worker`, or `npm start` with RUN_WORKERS) an incremental catch-up run of
 * each scheduled source binding, so what senders dropped while Concord was down arrives on its own. Both
 * are once across processes starting together. A failure is logged, never stops the start: the
 * schedules catch up within minutes.
 */
export async function catchUpAtStart(engine: Engine, opts: { runCatchUp: boolean }): Promise<TCatchUpResult | null> {
  try {
    await ensureDefaultSchedules(engine);
    return opts.runCatchUp ? await startCatchUp(engine) : null;
  } catch (err) {
    log.error({ err }, "catch-up at start failed: the schedules will catch up");
    return null;
  }
}

/** A drain after webhooks goes on while more arrive, but not past this: the cron drain takes the rest. */
const DRAIN_MAX_MS = 30_000;
const drains = new WeakMap<Engine, { running: Promise<void> | null; again: boolean }>();

/**
 * After a webhook is stored: nothing where a worker runs (storing it woke the worker), or (serverless, no worker
 * here) drain for a few seconds. One drain per engine at a time: a webhook that arrives while one runs asks it to
 * go once more, rather than starting its own (fifty drains for fifty concurrent webhooks would fight over the queue).
 */
export async function drainSoon(engine: Engine): Promise<void> {
  if (g.__concordWorker) return;
  let d = drains.get(engine);
  if (!d) drains.set(engine, (d = { running: null, again: false }));
  if (d.running) {
    d.again = true;
    return d.running;
  }
  const state = d;
  state.running = (async () => {
    const until = Date.now() + DRAIN_MAX_MS;
    try {
      do {
        state.again = false;
        try {
          await new Worker(engine, { concurrency: env.WORKER_CONCURRENCY, leaseMs: env.WORKER_LEASE_MS }).drain({ budgetMs: Math.min(5_000, until - Date.now()) });
        } catch (err) {
          log.error({ err }, "drain after a webhook failed"); // the next webhook or the cron drain tries again
        }
      } while (state.again && Date.now() < until);
    } finally {
      state.running = null;
    }
  })();
  return state.running;
}

export async function stopInProcessWorker(): Promise<void> {
  clearInterval(g.__concordTick);
  g.__concordTick = undefined;
  clearInterval(g.__concordKeeper);
  g.__concordKeeper = undefined;
  await g.__concordWorker?.stop();
  g.__concordWorker = undefined;
}
