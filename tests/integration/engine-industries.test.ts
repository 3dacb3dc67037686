import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { queryRows } from "~/server/db";
import { startHarness, type Harness } from "../helpers/harness";
import { postWebhook } from "../helpers/webhooks";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
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

describe("industries across Dashboard, CMS and Lead Centre (seed 000)", () => {
  it("a create in the Dashboard reaches the CMS and the Lead Centre, and the CMS id lands in cms_id", async () => {
    const created = dashboard().create({ name: "Solar Farms", slug: "solar-farms", description: "Utility-scale solar.", is_active: true, internal_notes: "dashboard only" });
    await h.settle();
    const inCms = bySlug(cms().all(), "solar-farms");
    expect(inCms).toMatchObject({ name: "Solar Farms", description: "Utility-scale solar.", active: true });
    expect(bySlug(lead().all(), "solar-farms")).toMatchObject({ title: "Solar Farms", summary: "Utility-scale solar.", enabled: true });
    expect(dashboard().get(created.id)!.cms_id).toBe(inCms!.id);
    expect(JSON.stringify(cms().all())).not.toContain("dashboard only");
  });

  it("an edit of a common field in the CMS reaches the Dashboard and the Lead Centre; CMS-only fields stay", async () => {
    dashboard().create({ name: "Wind Power", slug: "wind-power", description: "Turbines.", is_active: true });
    await h.settle();
    const doc = bySlug(cms().all(), "wind-power")!;
    cms().update(doc.id, { description: "Onshore and offshore turbines.", seoTitle: "Wind power installers near you" });
    await h.settle();
    expect(bySlug(dashboard().all(), "wind-power")!.description).toBe("Onshore and offshore turbines.");
    expect(bySlug(lead().all(), "wind-power")!.summary).toBe("Onshore and offshore turbines.");
    expect(JSON.stringify(dashboard().all())).not.toContain("Wind power installers near you");
    expect(JSON.stringify(lead().all())).not.toContain("Wind power installers near you");
  });

  it("writes settle: no loops, each system receives exactly the writes it needs", async () => {
    const before = { d: dashboard().stats().writes, c: cms().stats().writes, l: lead().stats().writes };
    dashboard().create({ name: "Hydro", slug: "hydro", description: "Dams.", is_active: true });
    await h.settle();
    await new Promise((r) => setTimeout(r, 500));
    await h.settle();
    const after = { d: dashboard().stats().writes, c: cms().stats().writes, l: lead().stats().writes };
    expect(after.c.create - before.c.create).toBe(1);
    expect(after.c.update - before.c.update).toBe(0);
    expect(after.l.create - before.l.create).toBe(1);
    expect(after.l.update - before.l.update).toBe(0);
    expect(after.d.create - before.d.create).toBe(1); // the one the test made
    expect(after.d.update - before.d.update).toBe(1); // cms_id written back, once
    // Every delivery finished as done or stepped aside: a success that failed to record would leave it in flight.
    const unfinished = await queryRows(h.t.db, sql`select id, status from deliveries where status not in ('succeeded', 'superseded')`);
    expect(unfinished).toEqual([]);
  });

  it("a thin event (only the id) makes Concord fetch the current document", async () => {
    const dashboard = h.samples.system("dashboard");
    dashboard.setConfig({ webhooks: false });
    const doc = dashboard.create({ name: "Thin Event", slug: "thin-event", description: "fetched", is_active: true });
    dashboard.setConfig({ webhooks: true });
    const res = await postWebhook({ url: h.concordUrl, system: "dashboard", secret: h.samples.secrets.dashboard, body: { type: "industry.created", timestamp: new Date().toISOString(), data: { id: doc.id } } });
    expect(res.status).toBe(202);
    await h.settle();
    expect(bySlug(cms().all(), "thin-event")).toMatchObject({ name: "Thin Event", description: "fetched" });
  });

  it("a thin event read before its write is visible is read again later, not applied stale", async () => {
    const dashboard = h.samples.system("dashboard");
    dashboard.setConfig({ webhooks: false });
    const doc = dashboard.create({ name: "Read Too Early", slug: "read-too-early", description: "old", is_active: true });
    const eventTime = new Date(Date.parse(doc.updated_at) + 5_000).toISOString(); // the event is newer than what a read returns
    const res = await postWebhook({ url: h.concordUrl, system: "dashboard", secret: h.samples.secrets.dashboard, body: { type: "industry.updated", timestamp: eventTime, data: { id: doc.id } } });
    expect(res.status).toBe(202);
    await new Promise((r) => setTimeout(r, 300));
    expect(bySlug(cms().all(), "read-too-early")).toBeUndefined(); // not applied from the too-early read
    await new Promise((r) => setTimeout(r, 5_000)); // the write "commits": reads now show it
    dashboard.update(doc.id, { description: "committed" });
    dashboard.setConfig({ webhooks: true });
    await h.settle({ timeoutMs: 30_000 });
    expect(bySlug(cms().all(), "read-too-early")).toMatchObject({ description: "committed" });
  });
});
