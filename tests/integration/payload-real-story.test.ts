import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "~/server/db";
import { concordPlugin, type ConcordPlugin } from "../../integrations/payload/src/index";
import { startHarness, type Harness } from "../helpers/harness";
import { startPayload, type RealPayload } from "../helpers/payload";

// The seed's industry story (seeds/000) between the sample Dashboard and a real Payload 3 (SQLite,
// transactions on) with the plugin: Concord writes to Payload through its REST API, Payload tells
// Concord through the plugin. Nothing here imitates Payload.

let h: Harness;
let cms: RealPayload;
let plugin: ConcordPlugin;
beforeAll(async () => {
  h = await startHarness({
    systems: async (concordUrl) => {
      const secret = `whsec_${Buffer.from(`payload-story-${process.pid}-${Date.now()}`).toString("base64")}`;
      plugin = concordPlugin({ concordUrl, system: "cms", secret, collections: { industries: "industry" } });
      cms = await startPayload({ plugins: [plugin], serve: true });
      return { cms: { url: cms.url, auth: `users API-Key ${cms.apiKey}`, webhookSecret: secret } };
    },
  });
}, 180_000);
afterAll(async () => {
  await plugin?.idle();
  await h?.stop();
  await cms?.stop();
});

const dashboard = () => h.samples.system("dashboard");
const bySlug = (slug: string) => dashboard().all().find((d) => d.slug === slug);
async function inPayload(slug: string) {
  const found = await cms.payload.find({ collection: "industries", where: { slug: { equals: slug } }, depth: 0 });
  return found.docs[0] as (Record<string, unknown> & { id: number; updatedAt: string }) | undefined;
}

/** Until Concord, the Dashboard's webhooks and the plugin's events are all done (each round bounded by settle's timeout). */
async function quiet(): Promise<void> {
  for (let round = 0; round < 20; round++) {
    await plugin.idle();
    await h.settle();
    const [row] = await queryRows<{ n: number }>(h.t.db, sql`select count(*)::int as n from webhook_events`);
    await plugin.idle();
    await h.settle();
    const [again] = await queryRows<{ n: number }>(h.t.db, sql`select count(*)::int as n from webhook_events`);
    if (row!.n === again!.n) return;
  }
  throw new Error("events kept coming: a loop?");
}

describe("industries between the sample Dashboard and a real Payload 3", () => {
  it("a Dashboard create reaches Payload and Payload's id lands in cms_id", async () => {
    const created = dashboard().create({ name: "Solar Farms", slug: "solar-farms", description: "Utility-scale solar.", is_active: true, internal_notes: "dashboard only" });
    await quiet();
    const doc = await inPayload("solar-farms");
    expect(doc).toMatchObject({ name: "Solar Farms", description: "Utility-scale solar.", active: true });
    expect(JSON.stringify(doc)).not.toContain("dashboard only");
    expect(String(dashboard().get(created.id)!.cms_id)).toBe(String(doc!.id));
  });

  it("an edit in Payload reaches the Dashboard; Payload's own field stays in Payload", async () => {
    const doc = (await inPayload("solar-farms"))!;
    await cms.payload.update({ collection: "industries", id: doc.id, data: { description: "Solar parks and rooftops.", seoTitle: "Solar installers near you" } });
    await quiet();
    expect(bySlug("solar-farms")).toMatchObject({ description: "Solar parks and rooftops." });
    expect(JSON.stringify(dashboard().all())).not.toContain("Solar installers near you");
  });

  it("a create in Payload reaches the Dashboard, linked by cms_id", async () => {
    const doc = await cms.payload.create({ collection: "industries", data: { name: "Offshore Wind", slug: "offshore-wind", description: "Turbines at sea.", seoTitle: "Offshore wind" } });
    await quiet();
    expect(bySlug("offshore-wind")).toMatchObject({ name: "Offshore Wind", description: "Turbines at sea.", is_active: true });
    expect(String(bySlug("offshore-wind")!.cms_id)).toBe(String(doc.id));
  });

  it("no loop: afterwards Payload's updatedAt and the Dashboard's write count stand still", async () => {
    await quiet();
    const stamps = async () => Promise.all(["solar-farms", "offshore-wind"].map(async (s) => (await inPayload(s))!.updatedAt));
    const before = { payload: await stamps(), dashboard: dashboard().stats().writes };
    await quiet();
    expect({ payload: await stamps(), dashboard: dashboard().stats().writes }).toEqual(before);
    const unfinished = await queryRows(h.t.db, sql`select id, status from deliveries where status not in ('succeeded', 'superseded')`);
    expect(unfinished).toEqual([]);
    // Concord wrote to Payload once (the Dashboard's create); the plugin's event for that write came back and was known as an echo.
    const toPayload = await queryRows<{ n: number }>(h.t.db, sql`select count(*)::int as n from deliveries where system = 'cms'`);
    expect(toPayload[0]!.n).toBe(1);
    const fromPayload = await queryRows<{ kind: string; outcome: string }>(h.t.db, sql`select kind, outcome from changes where system = 'cms' order by id`);
    expect(fromPayload).toEqual([
      { kind: "create", outcome: "echo" },
      { kind: "update", outcome: "applied" },
      { kind: "create", outcome: "created" },
    ]);
  });

  it("a delete in the Dashboard deletes in Payload; a delete in Payload deletes in the Dashboard", async () => {
    const solar = bySlug("solar-farms")!;
    dashboard().remove(solar.id);
    await quiet();
    expect(await inPayload("solar-farms")).toBeUndefined();

    const wind = (await inPayload("offshore-wind"))!;
    await cms.payload.delete({ collection: "industries", id: wind.id });
    await quiet();
    expect(bySlug("offshore-wind")).toBeUndefined();

    const writes = dashboard().stats().writes;
    await quiet();
    expect(dashboard().stats().writes).toEqual(writes);
  });
});
