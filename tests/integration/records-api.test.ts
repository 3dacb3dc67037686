import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { changes, records } from "~/server/db/schema";
import { systemActor } from "~/server/services/actor";
import { createApiKey } from "~/server/services/api-keys/create-api-key";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
let tool: ReturnType<typeof createCaller>;
beforeAll(async () => {
  h = await startHarness();
  const { key } = await createApiKey({ db: h.engine.db, actor: systemActor, input: { name: "internal-tool", scopes: ["read", "write"] } });
  tool = createCaller(createTRPCContext({ db: h.engine.db, session: null, engine: h.engine, headers: new Headers({ authorization: `Bearer ${key}` }) }));
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(async () => {
  await h.settle();
});

const dashboard = () => h.samples.system("dashboard");
const cms = () => h.samples.system("cms");
const lead = () => h.samples.system("lead-centre");
const bySlug = <T extends { slug: string }>(docs: T[], slug: string) => docs.find((d) => d.slug === slug);
async function errorOf(p: Promise<unknown>): Promise<TRPCError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(TRPCError);
  return err as TRPCError;
}

describe("records API for internal tools", () => {
  it("an upsert with no system id is Concord's own change: every system receives it, the origin too", async () => {
    const created = await tool.records.upsert({ entity: "industry", origin: "dashboard", data: { name: "Geothermal", slug: "geothermal", description: "Heat from below." } });
    expect(created).toMatchObject({ outcome: "created", record: { naturalKey: "geothermal", version: 1, deleted: false, data: { active: true } } });
    expect(created.targets.sort()).toEqual(["cms", "dashboard", "lead-centre"]);
    await h.settle();
    const inCms = bySlug(cms().all(), "geothermal")!;
    expect(inCms).toMatchObject({ name: "Geothermal", description: "Heat from below.", active: true });
    expect(bySlug(dashboard().all(), "geothermal")).toMatchObject({ name: "Geothermal", is_active: true, cms_id: inCms.id });
    expect(bySlug(lead().all(), "geothermal")).toMatchObject({ title: "Geothermal", summary: "Heat from below.", enabled: true });

    const writes = { d: dashboard().stats().writes.update, c: cms().stats().writes.update };
    const changed = await tool.records.upsert({ entity: "industry", origin: "cms", data: { slug: "geothermal", description: "Deep heat." } });
    expect(changed).toMatchObject({ outcome: "applied", record: { version: 2 } });
    await h.settle();
    expect(bySlug(dashboard().all(), "geothermal")!.description).toBe("Deep heat.");
    expect(bySlug(cms().all(), "geothermal")!.description).toBe("Deep heat.");
    expect(bySlug(lead().all(), "geothermal")!.summary).toBe("Deep heat.");
    expect(dashboard().stats().writes.update - writes.d).toBe(1); // once each, no echo loop
    expect(cms().stats().writes.update - writes.c).toBe(1);

    const again = await tool.records.upsert({ entity: "industry", origin: "cms", data: { slug: "geothermal", description: "Deep heat." } });
    expect(again).toMatchObject({ outcome: "unchanged", targets: [], record: { version: 2 } });
  });

  it("an upsert with the origin's id enters as if observed there: the others receive it, the origin is not written again", async () => {
    cms().setConfig({ webhooks: false }); // the tool wrote to the CMS itself; the API call tells Concord
    const doc = cms().create({ name: "Tidal", slug: "tidal", description: "Moon power.", active: true });
    cms().setConfig({ webhooks: true });
    const cmsWrites = { ...cms().stats().writes };
    const r = await tool.records.upsert({ entity: "industry", origin: "cms", externalId: String(doc.id), data: { name: "Tidal", slug: "tidal", description: "Moon power." } });
    expect(r.outcome).toBe("created");
    expect(r.targets.sort()).toEqual(["dashboard", "lead-centre"]);
    await h.settle();
    expect(bySlug(dashboard().all(), "tidal")).toMatchObject({ name: "Tidal", cms_id: doc.id });
    expect(bySlug(lead().all(), "tidal")).toMatchObject({ title: "Tidal" });
    expect(cms().stats().writes).toEqual(cmsWrites);
    const got = await tool.records.get({ entity: "industry", system: "cms", externalId: String(doc.id) });
    expect(got.id).toBe(r.record.id);
    expect(got.links.map((l) => l.system).sort()).toEqual(["cms", "dashboard", "lead-centre"]);
  });

  it("a delete tombstones the record and each system applies its binding: delete, or archive in the Lead Centre", async () => {
    await tool.records.upsert({ entity: "industry", origin: "dashboard", data: { name: "Peat", slug: "peat" } });
    await h.settle();
    const gone = await tool.records.delete({ entity: "industry", origin: "dashboard", naturalKey: "peat" });
    expect(gone).toMatchObject({ outcome: "deleted", record: { deleted: true, version: 2 } });
    expect(gone.targets.sort()).toEqual(["cms", "dashboard", "lead-centre"]);
    await h.settle();
    expect(bySlug(dashboard().all(), "peat")).toBeUndefined();
    expect(bySlug(cms().all(), "peat")).toBeUndefined();
    expect(bySlug(lead().all(), "peat")).toMatchObject({ enabled: false });
    expect((await tool.records.get({ entity: "industry", naturalKey: "peat" })).deleted).toBe(true);
    expect((await errorOf(tool.records.delete({ entity: "industry", origin: "dashboard", naturalKey: "peat" }))).code).toBe("NOT_FOUND");
  });

  it("refuses bad input with the field named, and changes nothing", async () => {
    const before = await h.engine.db.select().from(records);
    const changesBefore = await h.engine.db.select().from(changes);
    const cases: [() => Promise<unknown>, string, string][] = [
      [() => tool.records.upsert({ entity: "industry", origin: "dashboard", data: { name: "Bad", slug: "Not A Slug" } }), "slug", "lower-case words"],
      [() => tool.records.upsert({ entity: "industry", origin: "dashboard", data: { name: "No slug" } }), "slug", "required"],
      [() => tool.records.upsert({ entity: "industry", origin: "dashboard", data: { slug: "x", colour: "red" } }), "colour", "not a field"],
      [() => tool.records.upsert({ entity: "industry", origin: "lead-centre", data: { name: "X" } }), "name", "only receives"],
      [() => tool.records.upsert({ entity: "industry", origin: "nowhere", data: { slug: "x" } }), "origin", "does not live"],
      [() => tool.records.delete({ entity: "industry", origin: "lead-centre", naturalKey: "geothermal" }), "origin", "only receives"],
    ];
    for (const [call, field, text] of cases) {
      const err = await errorOf(call());
      expect([field, err.code]).toEqual([field, "UNPROCESSABLE_CONTENT"]);
      expect(err.message).toContain(text);
      expect((err.cause as { field?: string }).field).toBe(field);
    }
    expect((await errorOf(tool.records.upsert({ entity: "spaceship", origin: "dashboard", data: { slug: "x" } }))).code).toBe("NOT_FOUND");
    expect((await errorOf(tool.records.upsert({ entity: "industry", origin: "dashboard", data: {} }))).code).toBe("BAD_REQUEST");
    expect(await h.engine.db.select().from(records)).toEqual(before);
    expect(await h.engine.db.select().from(changes)).toHaveLength(changesBefore.length);
  });

  it("gets a record by id, natural key or a system's id; lists with a prefix search and pages", async () => {
    for (const [name, slug] of [["Solar Thermal", "solar-thermal"], ["Solar Panels", "solar-pv"], ["Nuclear", "nuclear"]]) {
      await tool.records.upsert({ entity: "industry", origin: "dashboard", data: { name: name!, slug: slug! } });
    }
    await h.settle();
    const byKey = await tool.records.get({ entity: "industry", naturalKey: "nuclear" });
    expect(await tool.records.get({ entity: "industry", id: byKey.id })).toEqual(byKey);
    const dashId = byKey.links.find((l) => l.system === "dashboard")!.externalId;
    expect((await tool.records.get({ entity: "industry", system: "dashboard", externalId: dashId })).id).toBe(byKey.id);
    const solar = await tool.records.list({ entity: "industry", search: "sol" });
    expect(solar.items.map((i) => i.naturalKey)).toEqual(["solar-pv", "solar-thermal"]);
    expect((await tool.records.list({ entity: "industry", search: "Solar P" })).items.map((i) => i.label)).toEqual(["Solar Panels"]);
    const page = await tool.records.list({ entity: "industry", pageSize: 2, page: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThanOrEqual(5);
    expect((await tool.records.list({ entity: "industry", search: "peat" })).total).toBe(0);
    expect((await tool.records.list({ entity: "industry", search: "peat", includeDeleted: true })).total).toBe(1);
    expect((await tool.records.list({ entity: "industry", search: "%" })).total).toBe(0);
  });

  it("renames the natural key by id, and refuses one another record holds", async () => {
    const r = await tool.records.get({ entity: "industry", naturalKey: "nuclear" });
    const renamed = await tool.records.upsert({ entity: "industry", origin: "dashboard", id: r.id, data: { slug: "nuclear-fission" } });
    expect(renamed.record.naturalKey).toBe("nuclear-fission");
    await h.settle();
    expect(bySlug(cms().all(), "nuclear-fission")).toBeDefined();
    const taken = await errorOf(tool.records.upsert({ entity: "industry", origin: "dashboard", id: r.id, data: { slug: "geothermal" } }));
    expect(taken.code).toBe("CONFLICT");
    const [row] = await h.engine.db.select().from(records).where(eq(records.id, r.id));
    expect(row!.naturalKey).toBe("nuclear-fission");
  });
});
