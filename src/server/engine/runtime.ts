import { env } from "~/env";
import { log } from "~/server/log";
import type { Engine } from "./context";
import { bridgeOverPostgres } from "./pg-bridge";
import { Worker } from "./worker";

const g = globalThis as unknown as { __concordWorker?: Worker; __concordBridge?: Promise<unknown> };

/** Joins this process to the others on the same Postgres (PGlite is one process: nothing to join). */
export function ensureBridge(engine: Engine): Promise<unknown> {
  if (!env.DATABASE_URL) return Promise.resolve();
  g.__concordBridge ??= bridgeOverPostgres(engine.bus, env.DATABASE_URL, log).catch((err: unknown) => {
    g.__concordBridge = undefined;
    log.error({ err }, "could not listen for engine events");
  });
  return g.__concordBridge;
}

/** Starts the in-process worker (self-hosted `npm start`); RUN_WORKERS=false leaves it to `npm run worker`. */
export function startInProcessWorker(engine: Engine): Worker | null {
  if (env.RUN_WORKERS !== "true") return null;
  if (!g.__concordWorker) {
    g.__concordWorker = new Worker(engine, { concurrency: env.WORKER_CONCURRENCY, leaseMs: env.WORKER_LEASE_MS });
    g.__concordWorker.start();
    log.info({ concurrency: env.WORKER_CONCURRENCY }, "delivery worker started");
  }
  return g.__concordWorker;
}

/** After a webhook is stored: wake the worker, or (serverless, no worker here) drain for a few seconds. */
export async function drainSoon(engine: Engine): Promise<void> {
  if (g.__concordWorker) {
    engine.bus.wake();
    return;
  }
  await new Worker(engine, { concurrency: env.WORKER_CONCURRENCY }).drain({ budgetMs: 5_000 });
}

export async function stopInProcessWorker(): Promise<void> {
  await g.__concordWorker?.stop();
  g.__concordWorker = undefined;
}
