import { defaultConfig, withOwnValueMaps, type TSyncConfig } from "~/sync/config";
import { createSecretBox } from "~/sync/secrets";
import type { Db, DbDriver } from "~/server/db";
import { EngineBus } from "./bus";
import { newWorkerId, silentLogger, type Engine, type TBackground, type TLogger, type TSystemOverrides } from "./context";

export interface CreateEngineOptions {
  db: Db;
  driver: DbDriver;
  encryptionKey: string;
  config?: TSyncConfig;
  overrides?: TSystemOverrides;
  now?: () => Date;
  fetch?: typeof fetch;
  random?: () => number;
  log?: TLogger;
  bus?: EngineBus;
  webhookMaxBytes?: number;
  runLeaseMs?: number;
  background?: TBackground;
}

/** Builds an engine from explicit dependencies (the server passes env's; tests pass their own). */
export function createEngine(opts: CreateEngineOptions): Engine {
  const log = opts.log ?? silentLogger;
  return {
    db: opts.db,
    driver: opts.driver,
    config: withOwnValueMaps(opts.config ?? defaultConfig),
    secrets: createSecretBox(opts.encryptionKey),
    overrides: opts.overrides ?? {},
    now: opts.now ?? (() => new Date()),
    fetch: opts.fetch ?? globalThis.fetch,
    random: opts.random ?? Math.random,
    log,
    bus: opts.bus ?? new EngineBus(),
    workerId: newWorkerId(),
    webhookMaxBytes: opts.webhookMaxBytes ?? 1024 * 1024,
    runLeaseMs: opts.runLeaseMs ?? 30_000,
    background: opts.background ?? { defer: (task) => void task().catch((err: unknown) => log.error({ err }, "background work failed")), budgetMs: null },
  };
}
