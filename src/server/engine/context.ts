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
}

export const newWorkerId = () => `w-${process.pid}-${randomUUID().slice(0, 8)}`;

export const silentLogger: TLogger = { info() {}, warn() {}, error() {}, debug() {} };
