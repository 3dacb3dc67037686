import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { conflicts, records } from "~/server/db/schema";
import { systemActor } from "~/server/services/actor";
import { resolveConflict } from "~/server/services/conflicts/resolve-conflict";
import { industryConfig } from "../helpers/configs";
import { startHarness, type Harness } from "../helpers/harness";
import { postWebhook } from "../helpers/webhooks";

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const find = <T extends { slug: string }>(docs: T[], slug: string) => docs.find((d) => d.slug === slug)!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Makes one industry everywhere, then edits `name` in the Dashboard and in the CMS before either propagates. */
async function editBothSides(harness: Harness, slug: string, first: "dashboard" | "cms") {
  const dashboard = harness.samples.system("dashboard");
  const cms = harness.samples.system("cms");
  dashboard.create({ name: "Original", slug, description: "base", is_active: true });
  await harness.settle();
  await harness.worker!.stop(); // hold propagation so both edits happen "at once"
  const edits = {
    dashboard: () => dashboard.update(find(dashboard.all(), slug).id, { name: "Dashboard edit" }),
    cms: () => cms.update(find(cms.all(), slug).id, { name: "CMS edit" }),
  };
  edits[first]();
  await harness.samples.system(first).webhooksIdle(); // the first edit's event lands first: the order is the test's, not the network's
  await sleep(20); // and the second edit is later by source time
  edits[first === "dashboard" ? "cms" : "dashboard"]();
  await Promise.all([dashboard.webhooksIdle(), cms.webhooksIdle()]);
  harness.worker!.start();
  await harness.settle();
}

const names = (harness: Harness, slug: string) => ({
  dashboard: find(harness.samples.system("dashboard").all(), slug).name,
  cms: find(harness.samples.system("cms").all(), slug).name,
  lead: find(harness.samples.system("lead-centre").all(), slug).title,
});

describe("the same field edited in two systems", () => {
  it("last-write-wins by source time (the default): the later edit wins everywhere", async () => {
    h = await startHarness();
    await editBothSides(h, "lww", "dashboard");
    expect(names(h, "lww")).toEqual({ dashboard: "CMS edit", cms: "CMS edit", lead: "CMS edit" });
    const rows = await h.engine.db.select().from(conflicts);
    expect(rows.some((c) => c.field === "name" && c.status === "resolved" && c.reason === "lww")).toBe(true);
  });

  it("system priority: the Dashboard wins even when the CMS edited later", async () => {
    h = await startHarness({ config: industryConfig({ policy: "priority", priority: ["dashboard", "cms", "lead-centre"] }) });
    await editBothSides(h, "prio", "dashboard");
    expect(names(h, "prio")).toEqual({ dashboard: "Dashboard edit", cms: "Dashboard edit", lead: "Dashboard edit" });
  });

  it("manual: the field waits, nobody changes it, until an admin resolves; then both agree", async () => {
    h = await startHarness({ config: industryConfig({ policy: "manual" }) });
    await editBothSides(h, "manual", "dashboard");
    const before = names(h, "manual");
    // held: each side keeps its own edit, and the Lead Centre is not told either until an admin decides
    expect(before).toEqual({ dashboard: "Dashboard edit", cms: "CMS edit", lead: "Original" });
    const [open] = await h.engine.db.select().from(conflicts).where(eq(conflicts.status, "open"));
    expect(open).toMatchObject({ field: "name", theirs: "CMS edit", ours: "Dashboard edit", base: "Original" });
    const [rec] = await h.engine.db.select().from(records).where(eq(records.id, open!.recordId));
    expect(rec!.held).toHaveProperty("name");

    await resolveConflict({ engine: h.engine, actor: systemActor, input: { conflictId: open!.id, pick: "theirs" } });
    await h.settle();
    expect(names(h, "manual")).toEqual({ dashboard: "CMS edit", cms: "CMS edit", lead: "CMS edit" });
  });
});

describe("Option A: the Dashboard owns every field", () => {
  it("a CMS edit of a Dashboard-owned field is overwritten", async () => {
    h = await startHarness({ config: industryConfig({ optionA: "overwrite" }) });
    const cms = h.samples.system("cms");
    h.samples.system("dashboard").create({ name: "Owned", slug: "owned", description: "d", is_active: true });
    await h.settle();
    cms.update(find(cms.all(), "owned").id, { name: "Changed in CMS" });
    await h.settle();
    expect(names(h, "owned")).toEqual({ dashboard: "Owned", cms: "Owned", lead: "Owned" });
  });

  it("or flagged: held as an open conflict, nothing propagates", async () => {
    h = await startHarness({ config: industryConfig({ optionA: "flag" }) });
    const cms = h.samples.system("cms");
    h.samples.system("dashboard").create({ name: "Flagged", slug: "flagged", description: "d", is_active: true });
    await h.settle();
    cms.update(find(cms.all(), "flagged").id, { name: "Changed in CMS" });
    await h.settle();
    expect(names(h, "flagged")).toEqual({ dashboard: "Flagged", cms: "Changed in CMS", lead: "Flagged" });
    const [open] = await h.engine.db.select().from(conflicts).where(eq(conflicts.status, "open"));
    expect(open).toMatchObject({ field: "name", reason: "foreign-write", theirsSystem: "cms" });
  });
});

describe("order", () => {
  it("an out-of-date event never overwrites newer data", async () => {
    h = await startHarness();
    const dashboard = h.samples.system("dashboard");
    const d = dashboard.create({ name: "Fresh", slug: "order", description: "d", is_active: true });
    await h.settle();
    dashboard.update(d.id, { name: "Newest" });
    await h.settle();
    const stale = { ...dashboard.get(d.id)!, name: "Old news", updated_at: new Date(Date.now() - 60_000).toISOString() };
    const res = await postWebhook({ url: h.concordUrl, system: "dashboard", secret: h.samples.secrets.dashboard, body: { type: "industry.updated", timestamp: stale.updated_at, data: stale } });
    expect(res.status).toBe(202);
    await h.settle();
    expect(names(h, "order")).toEqual({ dashboard: "Newest", cms: "Newest", lead: "Newest" });
  });
});
