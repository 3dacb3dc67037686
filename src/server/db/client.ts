import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sql, type SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { pgClientOptions, resolvePgTarget } from "./pooling";
import { preparingStatements } from "./prepared";
import * as schema from "./schema";

export type Schema = typeof schema;
/** One type for both drivers: postgres-js and PGlite share Drizzle's Postgres query builder. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DbDriver = "pglite" | "postgres";

export interface DbHandle {
  db: Db;
  driver: DbDriver;
  /** Postgres behind a transaction-mode pooler (see `pooling.ts`); false on PGlite. */
  pooled: boolean;
  /** Runs the committed migrations in `drizzle/`. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDbOptions {
  /** postgres:// URL; when absent, embedded PGlite is used. */
  databaseUrl?: string;
  /** Behind a transaction-mode pooler; unset = guessed from the URL (`isPooledUrl`). */
  pooled?: boolean;
  /** A direct URL to the same database, for migrations and LISTEN when `databaseUrl` is pooled. */
  unpooledUrl?: string | null;
  /** PGlite data folder; `memory://` (or omitted with no URL) keeps it in memory. */
  pgliteDir?: string;
  /** Pool size for postgres. */
  max?: number;
  migrationsFolder?: string;
}

const defaultMigrations = () => path.join(process.cwd(), "drizzle");

export async function openDb(opts: OpenDbOptions): Promise<DbHandle> {
  const migrationsFolder = opts.migrationsFolder ?? defaultMigrations();
  if (opts.databaseUrl) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const target = resolvePgTarget({ url: opts.databaseUrl, pooled: opts.pooled, unpooledUrl: opts.unpooledUrl });
    const max = opts.max ?? 10;
    let client: ReturnType<typeof postgres>;
    let transactions: ReturnType<typeof postgres> | null = null;
    if (!target.pooled) client = preparingStatements(postgres(target.url, { max, ...pgClientOptions(target) }));
    else {
      // Statements one at a time per connection (see pgClientOptions); transactions on a client that may
      // pipeline inside them, which is safe: PgBouncer keeps the server connection until the transaction ends.
      const queries = postgres(target.url, { max: Math.max(1, Math.ceil(max / 2)), ...pgClientOptions(target) });
      const tx = (transactions = postgres(target.url, { max: Math.max(1, Math.ceil(max / 2)), prepare: false, onnotice: () => {} }));
      client = new Proxy(queries, { get: (t, prop, recv) => (prop === "begin" ? tx.begin.bind(tx) : Reflect.get(t, prop, recv)) });
    }
    const db = drizzle(client, { schema }) as unknown as Db;
    if (transactions) {
      // drizzle sets its type parsers on the client it is given; the transactions' client needs them too.
      Object.assign(transactions.options.parsers, client.options.parsers);
      Object.assign(transactions.options.serializers, client.options.serializers);
    }
    // LISTEN needs a session: the client itself when direct, a connection of its own to the unpooled URL
    // when pooled (opened on first use), none when pooled without one (readers poll instead).
    let direct: ReturnType<typeof postgres> | null = null;
    const directClient = () => (direct ??= postgres(target.directUrl!, { max: 1, ...pgClientOptions({ pooled: false }) }));
    listeners.set(
      db,
      target.directUrl === null ? null : target.pooled ? (channel, fn) => directClient().listen(channel, fn) : (channel, fn) => client.listen(channel, fn),
    );
    return {
      db,
      driver: "postgres",
      pooled: target.pooled,
      migrate: async () => {
        const { migrate } = await import("drizzle-orm/postgres-js/migrator");
        if (!target.pooled || !target.directUrl) return migrate(db as never, { migrationsFolder });
        // Through the pooler works too (one transaction, no advisory lock), but DDL belongs on the direct connection.
        const migrator = postgres(target.directUrl, { max: 1, ...pgClientOptions({ pooled: false }) });
        try {
          await migrate(drizzle(migrator, { schema }) as never, { migrationsFolder });
        } finally {
          await migrator.end({ timeout: 5 });
        }
      },
      close: async () => {
        await Promise.all([client.end({ timeout: 5 }), transactions?.end({ timeout: 5 }), direct?.end({ timeout: 5 })]);
      },
    };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const dir = opts.pgliteDir && opts.pgliteDir !== "memory://" ? path.resolve(opts.pgliteDir) : undefined;
  const releaseLock = dir ? claimPgliteFolder(dir) : () => {};
  try {
    const client = dir ? await PGlite.create(dir) : await PGlite.create();
    const db = drizzle(client, { schema }) as unknown as Db;
    listeners.set(db, null); // one process: writers poke their readers directly
    return {
      db,
      driver: "pglite",
      pooled: false,
      migrate: async () => {
        const { migrate } = await import("drizzle-orm/pglite/migrator");
        await migrate(db as never, { migrationsFolder });
      },
      close: async () => {
        await client.close();
        releaseLock();
      },
    };
  } catch (err) {
    releaseLock();
    throw err;
  }
}

/**
 * PGlite lets one process open a data folder at a time and does not lock it itself.
 * A pid file beside the folder makes a second opener fail with a clear message instead of corrupting it.
 */
function claimPgliteFolder(dir: string): () => void {
  mkdirSync(path.dirname(dir), { recursive: true });
  const pidFile = `${dir}.pid`;
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new PgliteBusyError(dir, pid);
    }
  }
  writeFileSync(pidFile, String(process.pid));
  return () => {
    try {
      if (readFileSync(pidFile, "utf8").trim() === String(process.pid)) rmSync(pidFile);
    } catch {
      // already gone
    }
  };
}

export class PgliteBusyError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`The PGlite folder ${dir} is in use by process ${pid} (a running Concord). Only one process may open it.`);
    this.name = "PgliteBusyError";
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export type TListen = (channel: string, fn: (payload: string) => void) => Promise<{ unlisten(): Promise<unknown> }>;
const g = globalThis as unknown as { __concordListeners?: WeakMap<Db, TListen | null> };
const listeners = (g.__concordListeners ??= new WeakMap());

/**
 * How to LISTEN on this database's server, or null where LISTEN does not work (PGlite: one process;
 * a pooled URL with no unpooled one). Whoever gets null polls instead.
 */
export function listenerFor(db: Db): TListen | null {
  if (listeners.has(db)) return listeners.get(db) ?? null;
  // A Drizzle over a postgres-js client made elsewhere (not by openDb): its own client, as before pooling was known.
  const client = (db as unknown as { $client?: { listen?: TListen } }).$client;
  return typeof client?.listen === "function" ? (channel, fn) => client.listen!(channel, fn) : null;
}

/** Runs raw SQL and returns its rows, whichever driver is underneath. */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/**
 * Runs a hot statement given as text with `$n` parameters straight on the driver: no query builder and no SQL
 * rendering per call. jsonb parameters go as JSON text with a `::jsonb` cast (Drizzle's postgres-js client passes
 * json text through as it is). On Postgres the statement is prepared by name once per connection — except behind
 * a transaction-mode pooler, whose client is made with `prepare: false`, which postgres-js lets win over this.
 */
export async function runText<T extends Record<string, unknown>>(db: Db, text: string, params: unknown[]): Promise<T[]> {
  const client = (db as unknown as { $client?: unknown }).$client as
    | { unsafe: (q: string, p: unknown[], o: { prepare: boolean }) => Promise<T[]> }
    | { query: (q: string, p: unknown[]) => Promise<{ rows: T[] }> }
    | undefined;
  // A transaction has no client of its own to hand the text to: its statement goes through Drizzle, parameters kept.
  if (!client) return queryRows<T>(db, sql.join(text.split(/\$(\d+)/).map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql`${params[Number(part) - 1]}`))));
  if ("unsafe" in client) return [...(await client.unsafe(text, params, { prepare: true }))];
  return (await client.query(text, params)).rows;
}

/**
 * Runs a fixed text whose `$1` is a page of rows as one jsonb array (`jsonb_to_recordset($1::jsonb) as x(n int, …)`):
 * one statement, one name, for any number of rows. Each row is handed over with its position `n`, so the text can keep
 * the rows' order (`order by x.n`).
 */
export async function runRows<T extends Record<string, unknown>>(db: Db, text: string, rows: Record<string, unknown>[]): Promise<T[]> {
  return runText<T>(db, text, [JSON.stringify(rows.map((row, n) => ({ n, ...row })))]);
}

/**
 * A json/jsonb value a statement computed: postgres-js hands it over parsed, PGlite's raw query (`runText`) and some
 * Drizzle paths as its text. `null` when SQL gave none.
 */
export function jsonValue<T>(v: T | string | null | undefined): T | null {
  return typeof v === "string" ? (JSON.parse(v) as T) : (v ?? null);
}

/**
 * Inside a transaction: it commits without waiting for its WAL to reach the disk (about 2 ms a commit on a plain
 * disk). Only for a transaction that is safe to lose in a server crash, because what it did is redone from what was
 * durable before it (a claim, or an applied webhook event, which is applied again from the stored event). A later
 * commit that waits for its flush makes this one durable too: a create or an update goes out only after its
 * echo-ledger entry is committed with a flush. A delete has no ledger entry; one sent on the strength of a lost
 * commit is sent again when the stored event is applied again, and changes nothing the second time.
 */
export async function commitWithoutFlush(tx: Db): Promise<void> {
  await tx.execute(sql`set local synchronous_commit = off`);
}

/** A deadlock or serialization failure: Postgres undid the statement, and running it again is safe. */
export function isTransientDbError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === "40P01" || code === "40001") return true;
  }
  return false;
}

/** Runs `write` again (a few times, briefly spaced) when Postgres undid it as a deadlock victim. */
export async function retryTransient<T>(write: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await write();
    } catch (err) {
      if (i >= attempts || !isTransientDbError(err)) throw err;
      await new Promise((r) => setTimeout(r, 10 * i + Math.floor(Math.random() * 20)));
    }
  }
}
