import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openDb, type DbHandle } from "~/server/db/client";

/** Integration tests run on PGlite by default and on Postgres when TEST_DATABASE_URL is set. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const testDriver = TEST_DATABASE_URL ? "postgres" : "pglite";

function assertLocal(url: string): void {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) {
    throw new Error(`Refusing to run tests against a non-local database (${host}).`);
  }
}

export interface TestDb extends DbHandle {
  /** The connection URL of this file's own database (Postgres only). */
  url: string | null;
  destroy(): Promise<void>;
}

/** A new, migrated database for one test file: an in-memory PGlite, or a fresh Postgres database. */
export async function createTestDb(): Promise<TestDb> {
  if (!TEST_DATABASE_URL) {
    const handle = await openDb({ pgliteDir: "memory://" });
    await handle.migrate();
    return { ...handle, url: null, destroy: () => handle.close() };
  }
  assertLocal(TEST_DATABASE_URL);
  const name = `concord_t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const handle = await openDb({ databaseUrl: url.toString(), max: 5 });
  await handle.migrate();
  return {
    ...handle,
    url: url.toString(),
    destroy: async () => {
      await handle.close();
      const sql = postgres(TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists ${name} with (force)`);
      await sql.end();
    },
  };
}
