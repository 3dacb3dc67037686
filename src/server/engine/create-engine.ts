import { defaultConfig, ownOnly, withOwnValueMaps, type TSyncConfig } from "~/sync/config";
import { createSecretBox } from "~/sync/secrets";
import type { Db, DbDriver } from "~/server/db";
import { onWorkCommitted } from "~/server/db/wake-on-commit";
import type { THttpClient } from "~/sync/connectors/types";
import { EngineBus } from "./bus";
import { sharedHttpClient } from "./http-client";
import { newWorkerId, silentLogger, type Engine, type TBackground, type TLogger, type TSystemOverrides } from "./context";

export interface CreateEngineOptions {
  db: Db;
  driver: DbDriver;
  encryptionKey: string;
  config?: TSyncConfig;
  overrides?: TSystemOverrides;
  now?: () => Date;
  fetch?: typeof fetch;
  /** The connectors' HTTP client; default: the process's pooled undici client, unless `fetch` is handed in. */
  http?: THttpClient;
  random?: () => number;
  log?: TLogger;
  bus?: EngineBus;
  webhookMaxBytes?: number;
  /** CONCORD_ALLOWED_HOSTS: the only hosts connectors may call; null = any. */
  allowedHosts?: readonly string[] | null;
  runLeaseMs?: number;
  background?: TBackground;
}

/** Builds an engine from explicit dependencies (the server passes env's; tests pass their own). */
export function createEngine(opts: CreateEngineOptions): Engine {
  const log = opts.log ?? silentLogger;
  const bus = opts.bus ?? new EngineBus();
  // Work committed through this database wakes this engine's workers (and, over the bridge, other processes').
  onWorkCommitted(opts.db, (work) => bus.wake({ inbox: work.has("inbox") }));
  return {
    db: opts.db,
    driver: opts.driver,
    config: withOwnValueMaps(opts.config ?? defaultConfig),
    secrets: createSecretBox(opts.encryptionKey),
    overrides: ownOnly(opts.overrides ?? {}),
    now: opts.now ?? (() => new Date()),
    fetch: opts.fetch ?? globalThis.fetch,
    // A fetch handed in (a test's fake) is what the connectors must call; otherwise the pooled client.
    ...(opts.http ? { http: opts.http } : opts.fetch ? {} : { http: sharedHttpClient() }),
    random: opts.random ?? Math.random,
    log,
    bus,
    workerId: newWorkerId(),
    webhookMaxBytes: opts.webhookMaxBytes ?? 1024 * 1024,
    allowedHosts: opts.allowedHosts ?? null,
    runLeaseMs: opts.runLeaseMs ?? 30_000,
    background: opts.background ?? { defer: (task) => void task().catch((err: unknown) => log.error({ err }, "background work failed")), budgetMs: null },
  };
}
