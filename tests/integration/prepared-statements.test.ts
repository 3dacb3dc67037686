import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "~/server/db";
import { openDb, type DbHandle } from "~/server/db/client";
import { MAX_PREPARED_PARAMS } from "~/server/db/prepared";
import { TEST_DATABASE_URL, testDriver } from "../helpers/db";

/**
 * On a direct Postgres connection the statements Drizzle sends are prepared by name (`src/server/db/prepared.ts`),
 * inside a transaction too: one round trip after its first use instead of two, and no parse and plan each time.
 * PGlite has no such thing: nothing is prepared by name there. (Behind a transaction-mode pooler postgres-js's
 * `prepare: false` wins; the pooled pass runs the intake and delivery tests through PgBouncer.)
 */
let h: DbHandle;
beforeAll(async () => {
  // One connection, so the statements and the look at pg_prepared_statements share a session.
  h = TEST_DATABASE_URL ? await openDb({ databaseUrl: TEST_DATABASE_URL, pooled: false, max: 1 }) : await openDb({ pgliteDir: "memory://" });
});
afterAll(async () => {
  await h?.close();
});

const preparedWith = async (marker: string) => {
  const [row] = await queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from pg_prepared_statements where statement like ${`%${marker}%`} and statement not like '%pg_prepared_statements%'`);
  return row!.n;
};
const expected = testDriver === "postgres" ? 1 : 0;

describe(`statements with parameters (${testDriver})`, () => {
  it("are prepared once by name and reused, outside a transaction", async () => {
    for (const n of [1, 2, 3]) await h.db.execute(sql`select ${n}::int as probe_outside`);
    expect(await preparedWith("probe_outside")).toBe(expected);
  });

  it("but not one with more parameters than a short list: a page-sized insert or IN list stays unnamed", async () => {
    const many = Array.from({ length: MAX_PREPARED_PARAMS + 1 }, (_, i) => sql`${i}::int`);
    for (const _ of [1, 2]) await h.db.execute(sql`select probe_many from unnest(array[${sql.join(many, sql`, `)}]) as probe_many`);
    expect(await preparedWith("probe_many")).toBe(0);
  });

  it("and inside one, savepoints included", async () => {
    await h.db.transaction(async (tx) => {
      for (const n of [1, 2]) await tx.execute(sql`select ${n}::int as probe_in_transaction`);
      await tx.transaction(async (inner) => {
        await inner.execute(sql`select ${3}::int as probe_in_savepoint`);
      });
    });
    expect(await preparedWith("probe_in_transaction")).toBe(expected);
    expect(await preparedWith("probe_in_savepoint")).toBe(expected);
  });
});
