import { randomUUID } from "node:crypto";
import type { TSyncConfig } from "~/sync/config";
import type { THttpClient } from "~/sync/connectors/types";
import type { TSecretBox } from "~/sync/secrets";
import type { Db, DbDriver } from "~/server/db";
import type { EngineBus } from "./bus";

export interface TLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export type TSystemOverrides = Record<string, { url?: string; auth?: string; webhookSecret?: string }>;

/** Everything the engine's services need, handed in so tests can give a fake clock, fetch or config. */
export interface Engine {
  db: Db;
  driver: DbDriver;
  config: TSyncConfig;
  secrets: TSecretBox;
  overrides: TSystemOverrides;
  now: () => Date;
  fetch: typeof fetch;
  /** A pooled HTTP client the connectors use instead of `fetch`; absent when a test hands in its own fetch. */
  http?: THttpClient;
  random: () => number;
  log: TLogger;
  bus: EngineBus;
  workerId: string;
  /** Webhook bodies larger than this are refused with 413. */
  webhookMaxBytes: number;
  /** The only hosts connectors may call (CONCORD_ALLOWED_HOSTS); null = any http(s) host. */
  allowedHosts: readonly string[] | null;
  /** A run's lease: a process that stops renewing it for this long leaves the run to any other (continue-run.ts). */
  runLeaseMs: number;
  /** How work started by a request goes on after the answer (see TBackground). */
  background: TBackground;
}

/**
 * Work a request starts (a run) and that goes on after its answer. A long-lived server just lets it run;
 * a serverless host (CONCORD_SERVERLESS) hands it to Next's `after()` and bounds it by `budgetMs`, the
 * function's maxDuration in hand: what is left then is continued by the cron tick.
 */
export interface TBackground {
  defer: (task: () => Promise<unknown>) => void;
  /** null: no bound (a long-lived process). */
  budgetMs: number | null;
}

export const newWorkerId = () => `w-${process.pid}-${randomUUID().slice(0, 8)}`;

export const silentLogger: TLogger = { info() {}, warn() {}, error() {}, debug() {} };
