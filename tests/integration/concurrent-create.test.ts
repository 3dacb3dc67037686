import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { links, records } from "~/server/db/schema";
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
