import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "~/server/db";
import { deliveries, links, records } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { applyChange } from "~/server/services/ingest/apply-change";
import type { TObservedChange } from "~/server/services/ingest/types";
import { createTestDb, testDriver, type TestDb } from "../helpers/db";
import { createTestEngine } from "../helpers/engine";

let t: TestDb;
let engine: Engine;
beforeAll(async () => {
  t = await createTestDb();
  engine = await createTestEngine(t);
}, 60_000);
afterAll(async () => {
  await t?.destroy();
});

const fromDashboard = (id: number, slug: string, name: string): TObservedChange => ({
  entity: "industry", system: "dashboard", kind: "update", externalId: String(id), eventTime: null,
  doc: { id, name, slug, description: "", is_active: true, cms_id: null, internal_notes: "", created_at: "2026-01-01T00:00:00.000Z", updated_at: "2026-01-01T00:00:00.000Z" },
});
const fromCms = (id: number, slug: string, name: string): TObservedChange => ({
  entity: "industry", system: "cms", kind: "update", externalId: String(id), eventTime: null,
  doc: { id, name, slug, description: "", active: true, seoTitle: "", createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z" },
});

/**
 * Applies the changes at once, each in its own transaction (on Postgres, on its own connection: the two
 * transactions overlap; PGlite has one connection and runs them one after the other). A change that fails is
 * applied once more, as the webhook inbox and a run do. Returns how many failed the first time.
 */
async function applyTogether(changes: TObservedChange[]): Promise<number> {
  const apply = (c: TObservedChange) => engine.db.transaction((tx) => applyChange(tx, engine.config, c, engine.now()));
  const first = await Promise.allSettled(changes.map(apply));
  const failed = changes.filter((_, i) => first[i]!.status === "rejected");
  for (const c of failed) await apply(c); // throws if the second try fails too
  return failed.length;
}
const recordsOf = (slug: string) => engine.db.select().from(records).where(and(eq(records.entity, "industry"), eq(records.naturalKey, slug)));
const linksOf = (recordId: string) => engine.db.select().from(links).where(eq(links.recordId, recordId));

describe(`two applies of the same new document at once (${testDriver})`, () => {
  it("from the same system: one record, one link; the one that lost the race lands on it when applied again", async () => {
    const failedFirst = await applyTogether([fromDashboard(9101, "race-same", "First"), fromDashboard(9101, "race-same", "Second")]);
    const rs = await recordsOf("race-same");
    expect(rs).toHaveLength(1);
    expect((await linksOf(rs[0]!.id)).map((l) => [l.system, l.externalId])).toEqual([["dashboard", "9101"]]);
    expect(["First", "Second"]).toContain(rs[0]!.data.name);
    // On Postgres the two overlap: the second insert into records waits for the first's natural key, finds it
    // committed, and applies onto that record in the same transaction: both land the first time.
    expect(failedFirst).toBe(0);
  });

  it("from two systems with the same natural key: one record, linked in both", async () => {
    const failedFirst = await applyTogether([fromDashboard(9201, "race-key", "From the Dashboard"), fromCms(9202, "race-key", "From the CMS")]);
    const rs = await recordsOf("race-key");
    expect(rs).toHaveLength(1);
    expect((await linksOf(rs[0]!.id)).map((l) => [l.system, l.externalId]).sort()).toEqual([
      ["cms", "9202"],
      ["dashboard", "9201"],
    ]);
    expect(failedFirst).toBe(0);
  });
});

describe(`the echo of Concord's create while the create's reply records its link (${testDriver})`, () => {
  it("is applied onto that link, not ignored as a second document", async () => {
    await engine.db.transaction((tx) => applyChange(tx, engine.config, fromDashboard(9301, "race-echo", "Echoed"), engine.now()));
    const [record] = await recordsOf("race-echo");
    // Concord is creating it in the CMS right now: its create is in flight there.
    await engine.db.update(deliveries).set({ status: "in_flight", leaseUntil: sql`now() + interval '1 minute'` }).where(and(eq(deliveries.recordId, record!.id), eq(deliveries.system, "cms")));
    const echo = () => engine.db.transaction((tx) => applyChange(tx, engine.config, fromCms(9302, "race-echo", "Echoed"), engine.now()));
    let release = () => {};
    // The create's reply records the link (as the delivery's success does), and commits only once the echo's apply
    // has looked for a link by its id, found none, and waits on the reply (its locking read of the record waits for
    // the lock the link's insert holds on it). PGlite has one connection: there the reply commits first and the echo
    // finds the link at once.
    let inserted = () => {};
    const linkInserted = new Promise<void>((r) => (inserted = r));
    const reply = engine.db.transaction(async (tx) => {
      await tx.insert(links).values({ recordId: record!.id, entity: "industry", system: "cms", externalId: "9302", origin: "sync", lastValues: null });
      inserted();
      if (testDriver === "postgres") await new Promise<void>((r) => (release = r));
    });
    let applied: ReturnType<typeof echo>;
    if (testDriver === "postgres") {
      // The echo starts once the reply holds its link: begun earlier, it could lock the record first and deadlock.
      await linkInserted;
      applied = echo();
      await waitForLockWait();
      release();
      await reply;
    } else {
      await reply;
      applied = echo();
    }
    const result = await applied;
    expect(result.outcome, result.detail).not.toBe("ignored");
    expect(result.recordId).toBe(record!.id);
    expect((await linksOf(record!.id)).map((l) => [l.system, l.externalId]).sort()).toEqual([
      ["cms", "9302"],
      ["dashboard", "9301"],
    ]);
  });
});

/** Until another connection of this database waits for a row lock (bounded: 10 s). */
async function waitForLockWait(): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const [row] = await queryRows<{ n: number }>(engine.db, sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
    if (row && row.n > 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("the echo's apply never waited for the reply's link");
}
