// The one writer of new records (createRecords): a webhook's create and a run's page of creates both go through
// it. A batch split wrongly would duplicate or lose records: two documents of one batch sharing a natural key make
// one record; a document whose key or id was taken meanwhile is handed back with nothing written for it.
import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bindingFor } from "~/sync/config";
import type { TDoc } from "~/sync/connectors";
import { changes, deliveries, links, records } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { createRecords } from "~/server/services/ingest/create-records";
import { validateCanonical } from "~/server/services/ingest/apply-change";
import { prepareDocs } from "~/server/services/ingest/prepare";
import { ingestPage } from "~/server/services/runs/ingest-page";
import { writableValues } from "~/sync/mapping";
import { createTestDb, type TestDb } from "../helpers/db";
import { createTestEngine } from "../helpers/engine";

let t: TestDb;
let engine: Engine;
beforeAll(async () => {
  t = await createTestDb();
  engine = await createTestEngine(t);
});
afterAll(async () => t?.destroy());

const doc = (id: number, slug: string): TDoc => ({ id, name: `Industry ${slug}`, slug, description: "d", is_active: true, updated_at: "2026-12-01T00:00:00.000Z" });
const n = async (table: typeof records | typeof links | typeof deliveries | typeof changes) => (await t.db.select({ n: count() }).from(table))[0]!.n;

/** The dashboard documents as createRecords takes them. */
async function newDocs(docs: TDoc[]) {
  const entity = engine.config.entities.industry!;
  const binding = bindingFor(engine.config, "industry", "dashboard")!;
  const prepared = await prepareDocs(t.db, { binding, entity, docs });
  return prepared.map(({ m }) => ({ externalId: m.externalId!, m, data: validateCanonical(entity, writableValues(binding, m.values), false), at: new Date("2026-12-01T00:00:00Z") }));
}

describe("createRecords, the one writer of new records", () => {
  it("writes a batch in a few statements: a record, a link and deliveries to every other system per document", async () => {
    const before = { records: await n(records), deliveries: await n(deliveries) };
    const made = await t.db.transaction(async (tx) => createRecords(tx, { config: engine.config, entity: "industry", system: "dashboard", runId: null, docs: await newDocs([doc(1, "alpha"), doc(2, "beta")]) }));
    expect(made.raced).toEqual([]);
    expect(made.created.map((c) => [c.doc.externalId, c.targets.sort()])).toEqual([
      ["1", ["cms", "lead-centre"]],
      ["2", ["cms", "lead-centre"]],
    ]);
    expect(await n(records)).toBe(before.records + 2);
    expect(await n(deliveries)).toBe(before.deliveries + 4);
    const [alpha] = await t.db.select().from(records).where(eq(records.naturalKey, "alpha"));
    expect(alpha!.data).toEqual({ name: "Industry alpha", slug: "alpha", description: "d", active: true });
    expect(alpha!.stamps).toMatchObject({ name: { by: "dashboard", at: "2026-12-01T00:00:00.000Z" } });
    expect((await t.db.select().from(links).where(eq(links.recordId, alpha!.id))).map((l) => [l.system, l.externalId, l.origin])).toEqual([["dashboard", "1", "sync"]]);
  });

  it("hands back, with nothing written, a second document of the batch with the same key, one whose key a live record holds, and one whose id is linked", async () => {
    // A record another way made, linked to the Dashboard's document 13 after the batch looked.
    const [other] = await t.db.insert(records).values({ entity: "industry", naturalKey: "zeta", data: { name: "Zeta", slug: "zeta", description: null, active: true }, stamps: {} }).returning();
    await t.db.insert(links).values({ recordId: other!.id, entity: "industry", system: "dashboard", externalId: "13", origin: "sync", lastValues: null });
    const before = { records: await n(records), links: await n(links), deliveries: await n(deliveries) };
    const docs = await newDocs([doc(10, "gamma"), doc(11, "gamma"), doc(12, "beta"), doc(13, "delta")]);
    const made = await t.db.transaction(async (tx) => createRecords(tx, { config: engine.config, entity: "industry", system: "dashboard", runId: null, docs }));
    expect(made.created.map((c) => c.doc.externalId)).toEqual(["10"]);
    expect(made.raced.map((r) => [r.doc.externalId, r.why]).sort()).toEqual([
      ["11", "key"],
      ["12", "key"],
      ["13", "link"],
    ]);
    expect(await n(records)).toBe(before.records + 1); // delta's record went again with its link refused
    expect(await t.db.select().from(records).where(eq(records.naturalKey, "delta"))).toEqual([]);
    expect(await n(links)).toBe(before.links + 1);
    expect(await n(deliveries)).toBe(before.deliveries + 2);
  });

  it("a run's page with two documents sharing a natural key makes one record; the second is applied onto it, not duplicated", async () => {
    const before = await n(records);
    const run = "00000000-0000-4000-8000-000000000001";
    const items = await t.db.transaction((tx) => ingestPage(tx, { config: engine.config, entity: "industry", system: "dashboard", docs: [doc(20, "epsilon"), doc(21, "epsilon")], runId: run, now: new Date() }));
    expect(items.map((i) => [i.externalId, i.outcome])).toEqual([
      ["20", "created"],
      ["21", "ignored"], // another dashboard document already holds that slug's record
    ]);
    expect(await n(records)).toBe(before + 1);
    const rows = await t.db.select().from(changes).where(sql`${changes.runId} = ${run}::uuid and ${changes.outcome} = 'created'`);
    expect(rows.map((r) => r.externalId)).toEqual(["20"]);
  });
});
