import { env } from "~/env";
import { openDb, type DbHandle } from "./client";

export { isTransientDbError, queryRows, retryTransient, type Db, type DbDriver, type DbHandle } from "./client";

const globalForDb = globalThis as unknown as { __concordDb?: Promise<DbHandle> };

/**
 * The process-wide database, opened once and migrated. Kept on globalThis because Next loads
 * instrumentation and each route bundle as separate module instances, and PGlite allows one opener.
 * A failed start is not cached, so the next call tries again.
 */
export function getDb(): Promise<DbHandle> {
  if (!globalForDb.__concordDb) {
    const opening = (async () => {
      const handle = await openDb({ databaseUrl: env.DATABASE_URL, pgliteDir: env.PGLITE_DIR });
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
