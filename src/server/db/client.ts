import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";

export type Schema = typeof schema;
/** One type for both drivers: postgres-js and PGlite share Drizzle's Postgres query builder. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DbDriver = "pglite" | "postgres";

export interface DbHandle {
  db: Db;
  driver: DbDriver;
  /** Runs the committed migrations in `drizzle/`. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDbOptions {
  /** postgres:// URL; when absent, embedded PGlite is used. */
  databaseUrl?: string;
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
    const client = postgres(opts.databaseUrl, { max: opts.max ?? 10, onnotice: () => {} });
    const db = drizzle(client, { schema }) as unknown as Db;
    return {
      db,
      driver: "postgres",
      migrate: async () => {
        const { migrate } = await import("drizzle-orm/postgres-js/migrator");
        await migrate(db as never, { migrationsFolder });
      },
      close: async () => {
        await client.end({ timeout: 5 });
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
    return {
      db,
      driver: "pglite",
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

/** Runs raw SQL and returns its rows, whichever driver is underneath. */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
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
