import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { splitByValue } from "~/sync/connectors/common";
import { deliveries, deliveryAttempts, links } from "~/server/db/schema";
import { Worker } from "~/server/engine/worker";
import { applyChange } from "~/server/services/ingest/apply-change";
import { startHarness, type Harness } from "../helpers/harness";

// The creates of one claimed batch are looked up by natural key in one request per target (Payload's
// `where[slug][in]=a,b,c`). Each delivery must get exactly the documents that answer its own key.

describe("splitting a batched lookup's answer", () => {
  it("gives each value the documents holding it, both of two equal values the same one, and a document without the field to none", () => {
    const docs = [
      { id: 1, slug: "a" },
      { id: 2, slug: "b" },
      { id: 3, name: "no slug" },
      { id: 4, slug: "A" },
      { id: 5, slug: " C " },
    ];
    const split = splitByValue(docs, "slug", ["a", "b", "a", "c", "d"]);
    // "A" and " C " are none of the values as written: the system's filter matched them by case or spaces, and a
    // lookup of "a" or "c" alone would have kept them (findAll's post-filter), so the batch does too: no duplicate.
    expect(split.get("a")!.map((d) => d.id)).toEqual([1, 4]);
    expect(split.get("b")!.map((d) => d.id)).toEqual([2]);
    expect(split.get("c")!.map((d) => d.id)).toEqual([5]);
    expect(split.get("d")).toEqual([]);
    // Two deliveries of one batch sharing a key both read the same entry.
    expect([...split.keys()]).toEqual(["a", "b", "c", "d"]);
  });
});

describe("batched natural-key lookup in the worker", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ worker: false });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("a batch where one record's create was already applied links that one, creates the others once, with one lookup request", async () => {
    const dashboard = h.samples.system("dashboard");
    const cms = h.samples.system("cms");
    dashboard.setConfig({ webhooks: false });
    cms.setConfig({ webhooks: false });
    const slugs = ["batch-a", "batch-b", "batch-c", "batch-d"];
    const recordIds: string[] = [];
    for (const slug of slugs) {
      const d = dashboard.create({ name: `Batch ${slug}`, slug, description: "x", is_active: true, cms_id: null });
      const r = await h.engine.db.transaction((tx) =>
        applyChange(tx, h.engine.config, { entity: "industry", system: "dashboard", kind: "create", externalId: String(d.id), doc: { ...d }, eventTime: null }, h.engine.now()),
      );
      recordIds.push(r.recordId!);
    }
    // An earlier attempt's create of batch-c reached the CMS (its answer was lost): the lookup must find it.
    const earlier = cms.create({ name: "Batch batch-c", slug: "batch-c", description: "x", active: true });
    const createsBefore = cms.stats().writes.create;
    // The same in the Lead Centre (a REST dialect with `slug_in=`) for batch-a.
    const lead = h.samples.system("lead-centre");
    lead.setConfig({ webhooks: false });
    const earlierLead = lead.create({ title: "Batch batch-a", slug: "batch-a", summary: "x", enabled: true });
    const leadCreatesBefore = lead.stats().writes.create;

    const worker = new Worker(h.engine, { concurrency: 16 });
    await worker.drain({ budgetMs: 20_000 });

    for (const slug of slugs) expect(cms.all().filter((d) => d.slug === slug)).toHaveLength(1);
    expect(cms.stats().writes.create - createsBefore).toBe(3);
    const cmsLinks = await h.engine.db.select().from(links).where(and(eq(links.system, "cms"), inArray(links.recordId, recordIds)));
    const byRecord = new Map(cmsLinks.map((l) => [l.recordId, l.externalId]));
    slugs.forEach((slug, i) => expect(byRecord.get(recordIds[i]!)).toBe(String(cms.all().find((d) => d.slug === slug)!.id)));
    expect(byRecord.get(recordIds[2]!)).toBe(String(earlier.id));
    // One GET for the four creates to the CMS, recorded with one of them.
    const cmsDeliveries = await h.engine.db.select({ id: deliveries.id }).from(deliveries).where(and(eq(deliveries.system, "cms"), inArray(deliveries.recordId, recordIds)));
    const gets = await h.engine.db
      .select()
      .from(deliveryAttempts)
      .where(and(inArray(deliveryAttempts.deliveryId, cmsDeliveries.map((d) => d.id)), eq(deliveryAttempts.method, "GET")));
    expect(gets).toHaveLength(1);
    expect(gets[0]!.url).toContain("where%5Bslug%5D%5Bin%5D=");

    for (const slug of slugs) expect(lead.all().filter((d) => d.slug === slug)).toHaveLength(1);
    expect(lead.stats().writes.create - leadCreatesBefore).toBe(3);
    const [leadLink] = await h.engine.db.select().from(links).where(and(eq(links.system, "lead-centre"), eq(links.recordId, recordIds[0]!)));
    expect(leadLink!.externalId).toBe(String(earlierLead.id));
    const leadDeliveries = await h.engine.db.select({ id: deliveries.id }).from(deliveries).where(and(eq(deliveries.system, "lead-centre"), inArray(deliveries.recordId, recordIds)));
    const leadGets = await h.engine.db
      .select()
      .from(deliveryAttempts)
      .where(and(inArray(deliveryAttempts.deliveryId, leadDeliveries.map((d) => d.id)), eq(deliveryAttempts.method, "GET")));
    expect(leadGets).toHaveLength(1);
    expect(leadGets[0]!.url).toContain("slug_in=");
  });
});
