import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openDb, type DbHandle } from "~/server/db/client";

/** Integration tests run on PGlite by default and on Postgres when TEST_DATABASE_URL is set. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const testDriver = TEST_DATABASE_URL ? "postgres" : "pglite";
/**
 * With TEST_POOLED_DATABASE_URL (PgBouncer in transaction mode in front of TEST_DATABASE_URL's server, e.g.
 * postgres://postgres@127.0.0.1:6432/test) each file's database is created and migrated directly, and
 * everything else goes through the pooler, as in production with DATABASE_URL_UNPOOLED.
 */
export const TEST_POOLED_DATABASE_URL = (TEST_DATABASE_URL && process.env.TEST_POOLED_DATABASE_URL) || undefined;

function assertLocal(url: string): void {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) {
    throw new Error(`Refusing to run tests against a non-local database (${host}).`);
  }
}

export interface TestDb extends DbHandle {
  /**
   * The connection URL of this file's own database (Postgres only). In the pooled pass it is the pooler's,
   * with `?pgbouncer=true` so that whatever opens it (a worker process, the CLI) knows it is pooled.
   */
  url: string | null;
  /** In the pooled pass, the direct URL of the same database (DATABASE_URL_UNPOOLED); otherwise null. */
  unpooledUrl?: string | null;
  destroy(): Promise<void>;
}

/** A new, migrated database for one test file: an in-memory PGlite, or a fresh Postgres database. */
export async function createTestDb(): Promise<TestDb> {
  if (!TEST_DATABASE_URL) {
    const handle = await openDb({ pgliteDir: "memory://" });
    await handle.migrate();
    return { ...handle, url: null, unpooledUrl: null, destroy: () => handle.close() };
  }
  assertLocal(TEST_DATABASE_URL);
  const name = `concord_t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const direct = new URL(TEST_DATABASE_URL);
  direct.pathname = `/${name}`;
  let url = direct.toString();
  let unpooledUrl: string | null = null;
  if (TEST_POOLED_DATABASE_URL) {
    assertLocal(TEST_POOLED_DATABASE_URL);
    const pooled = new URL(TEST_POOLED_DATABASE_URL);
    pooled.pathname = `/${name}`;
    pooled.searchParams.set("pgbouncer", "true");
    [url, unpooledUrl] = [pooled.toString(), direct.toString()];
  }
  const handle = await openDb({ databaseUrl: url, unpooledUrl, max: 5 });
  await handle.migrate();
  return {
    ...handle,
    url,
    unpooledUrl,
    destroy: async () => {
      await handle.close();
      const sql = postgres(TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists ${name} with (force)`);
      await sql.end();
    },
  };
}
