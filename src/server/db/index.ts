import { env } from "~/env";
import { openDb, type DbHandle, type OpenDbOptions } from "./client";

export { commitWithoutFlush, isTransientDbError, jsonValue, listenerFor, queryRows, retryTransient, runRows, runText, type Db, type DbDriver, type DbHandle } from "./client";

/** The database the environment names: DATABASE_URL (or PGlite), and whether and how it is pooled. */
export function dbOptionsFromEnv(): Pick<OpenDbOptions, "databaseUrl" | "pooled" | "unpooledUrl" | "pgliteDir"> {
  return { databaseUrl: env.DATABASE_URL, pooled: env.DATABASE_POOLED, unpooledUrl: env.DATABASE_URL_UNPOOLED, pgliteDir: env.PGLITE_DIR };
}

const globalForDb = globalThis as unknown as { __concordDb?: Promise<DbHandle> };

/**
 * The process-wide database, opened once and migrated. Kept on globalThis because Next loads
 * instrumentation and each route bundle as separate module instances, and PGlite allows one opener.
 * A failed start is not cached, so the next call tries again.
 */
export function getDb(): Promise<DbHandle> {
  if (!globalForDb.__concordDb) {
    const opening = (async () => {
      const handle = await openDb(dbOptionsFromEnv());
      await handle.migrate();
      return handle;
    })();
    globalForDb.__concordDb = opening;
    opening.catch(() => {
      if (globalForDb.__concordDb === opening) globalForDb.__concordDb = undefined;
    });
  }
  return globalForDb.__concordDb;
}

export async function closeDb(): Promise<void> {
  const opening = globalForDb.__concordDb;
  globalForDb.__concordDb = undefined;
  if (opening) await (await opening).close();
}
