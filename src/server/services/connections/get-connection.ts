import { eq, sql } from "drizzle-orm";
import { SyncError } from "~/sync/errors";
import { DEFAULT_RETRY_SCHEDULE, type TRetrySchedule } from "~/sync/retry";
import { systemOf, type TSystemDef } from "~/sync/config";
import { systems, type TSystemRow } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";

export interface TConnection {
  def: TSystemDef;
  row: TSystemRow;
  baseUrl: string;
  /** The whole credential header value, decrypted (never leaves the server). */
  auth: string | null;
  webhookSecrets: string[];
  rateLimitPerSecond: number;
  retrySchedule: TRetrySchedule;
  timeoutMs: number;
  enabled: boolean;
  /** Which values come from env overrides. */
  fromEnv: { url: boolean; auth: boolean; webhookSecret: boolean };
}

export function getSystemDefOrThrow(engine: Engine, key: string): TSystemDef {
  const def = systemOf(engine.config, key);
  if (!def) throw new SyncError("NOT_FOUND", `Unknown system "${key}".`);
  return def;
}

/** Makes sure every configured system has a connection row (with defaults) to edit. */
export async function ensureSystemRows(engine: Engine): Promise<void> {
  const keys = Object.keys(engine.config.systems);
  if (keys.length === 0) return;
  await engine.db
    .insert(systems)
    .values(keys.map((key) => ({ key })))
    .onConflictDoNothing();
}

/**
 * Connections already decrypted, per engine and system, with the version of the systems row they came
 * from (its `xmin`, which changes with every update by any process). Callers that know the current
 * version (a delivery claim returns it) reuse the entry while it matches; others always read afresh.
 */
const cache = new WeakMap<Engine, Map<string, { version: string; conn: TConnection }>>();

async function readRow(engine: Engine, key: string) {
  const cols = { row: systems, version: sql<string>`${systems}.xmin::text` };
  return (await engine.db.select(cols).from(systems).where(eq(systems.key, key)).limit(1))[0];
}

/** The connection this process last read for a system, and the row version it came from (none yet: null). */
export function cachedConnection(engine: Engine, key: string): { version: string; conn: TConnection } | null {
  return cache.get(engine)?.get(key) ?? null;
}

/** Drops the cached connection, so the next read goes to the database. */
export function forgetConnection(engine: Engine, key: string): void {
  cache.get(engine)?.delete(key);
}

/** A system's connection: the database row, decrypted, with env overrides applied on top. */
export async function getConnection(engine: Engine, key: string, opts: { version?: string | null } = {}): Promise<TConnection> {
  const def = getSystemDefOrThrow(engine, key);
  const perEngine = cache.get(engine) ?? new Map<string, { version: string; conn: TConnection }>();
  cache.set(engine, perEngine);
  const hit = perEngine.get(key);
  if (opts.version && hit && hit.version === opts.version) return hit.conn;
  let found = await readRow(engine, key);
  if (!found) {
    await engine.db.insert(systems).values({ key }).onConflictDoNothing();
    found = await readRow(engine, key);
  }
  const conn = toConnection(engine, def, found!.row);
  perEngine.set(key, { version: String(found!.version), conn });
  return conn;
}

function toConnection(engine: Engine, def: TSystemDef, row: TSystemRow): TConnection {
  const o = (Object.hasOwn(engine.overrides, row.key) ? engine.overrides[row.key] : undefined) ?? {};
  const storedSecrets = row.webhookSecretsEncrypted ? (JSON.parse(engine.secrets.decrypt(row.webhookSecretsEncrypted)) as string[]) : [];
  return {
    def,
    row,
    baseUrl: (o.url ?? row.baseUrl).replace(/\/+$/, ""),
    auth: o.auth ?? (row.authEncrypted ? engine.secrets.decrypt(row.authEncrypted) : null),
    webhookSecrets: o.webhookSecret ? [o.webhookSecret, ...storedSecrets] : storedSecrets,
    rateLimitPerSecond: row.rateLimitPerSecond,
    retrySchedule: row.retrySchedule ?? DEFAULT_RETRY_SCHEDULE,
    timeoutMs: row.timeoutMs,
    enabled: row.enabled,
    fromEnv: { url: !!o.url, auth: !!o.auth, webhookSecret: !!o.webhookSecret },
  };
}
