// A fresh Postgres database per scenario (`concord_bench_*`), migrated, dropped afterwards.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openDb } from "~/server/db/client";
import { DATABASE_URL } from "./common";

export interface BenchDb {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates `<prefix>_<random>` beside the admin URL's database (a local server only) and runs Concord's
 * migrations on it; `drop` removes it. The benchmarks and the chaos suite make theirs with it.
 */
export async function createScratchDb(adminUrl: string, prefix: string): Promise<BenchDb> {
  const host = new URL(adminUrl).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) throw new Error(`Refusing to use a non-local database (${host}).`);
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDb({ databaseUrl: url.toString(), max: 1 });
  try {
    await handle.migrate();
  } finally {
    await handle.close();
  }
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await sql.end();
      }
    },
  };
}

/** Creates `concord_bench_<label>_<random>` and runs Concord's migrations on it. */
export function createBenchDb(label: string): Promise<BenchDb> {
  return createScratchDb(DATABASE_URL, `concord_bench_${label.replace(/[^a-z0-9]/g, "")}`);
}

export interface DbCounters {
  /** Committed transactions; with postgres-js every statement outside a transaction is one. */
  xacts: number;
  /** Rows written (inserted + updated + deleted). */
  rowsWritten: number;
  /** Rows read (returned + fetched). */
  rowsRead: number;
}

/** Cumulative counters of one database from pg_stat_database (flushed by backends about once a second). */
export async function dbCounters(url: string): Promise<DbCounters> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_stat_clear_snapshot()`;
    const [row] = await sql<{ xacts: string; written: string; read: string }[]>`
      select (xact_commit + xact_rollback)::text as xacts,
             (tup_inserted + tup_updated + tup_deleted)::text as written,
             (tup_returned + tup_fetched)::text as read
        from pg_stat_database where datname = current_database()`;
    return { xacts: Number(row!.xacts), rowsWritten: Number(row!.written), rowsRead: Number(row!.read) };
  } finally {
    await sql.end();
  }
}

export function counterDelta(before: DbCounters, after: DbCounters): DbCounters {
  return { xacts: after.xacts - before.xacts, rowsWritten: after.rowsWritten - before.rowsWritten, rowsRead: after.rowsRead - before.rowsRead };
}
