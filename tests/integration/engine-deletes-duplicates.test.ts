import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deliveries, links, records, systems } from "~/server/db/schema";
import { claimDeliveries } from "~/server/services/delivery/claim";
import { applyChange } from "~/server/services/ingest/apply-change";
import type { TObservedChange } from "~/server/services/ingest/types";
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
const find = <T extends { slug: string }>(docs: T[], slug: string) => docs.filter((d) => d.slug === slug);
/** Applies a change as if observed now, in its own transaction (for tests that drive the engine step by step). */
const apply = (change: Omit<TObservedChange, "eventTime">) => h.engine.db.transaction((tx) => applyChange(tx, h.engine.config, { ...change, eventTime: null }, h.engine.now()));

/** Drives the engine step by step with the worker stopped; it runs again afterwards, also when a step fails. */
async function withWorkerStopped<T>(steps: () => Promise<T>): Promise<T> {
  await h.worker!.stop();
  try {
    return await steps();
  } finally {
    h.worker!.start();
  }
}

async function createEverywhere(slug: string) {
  const d = dashboard().create({ name: `Industry ${slug}`, slug, description: "d", is_active: true });
  await h.settle();
  return { d, c: find(cms().all(), slug)[0]!, l: find(lead().all(), slug)[0]! };
}

describe("deletes propagate as each binding says", () => {
  it("a Dashboard delete deletes in the CMS and archives in the Lead Centre, leaving a tombstone", async () => {
    const { d, l } = await createEverywhere("delete-from-dashboard");
    dashboard().remove(d.id);
    await h.settle();
    expect(find(cms().all(), "delete-from-dashboard")).toEqual([]);
    expect(lead().get(l.id)).toMatchObject({ enabled: false });
    const [rec] = await h.engine.db.select().from(records).where(eq(records.naturalKey, "delete-from-dashboard"));
    expect(rec!.deletedAt).not.toBeNull();
  });

  it("a CMS delete deletes in the Dashboard and archives in the Lead Centre", async () => {
    const { d, c, l } = await createEverywhere("delete-from-cms");
    cms().remove(c.id);
    await h.settle();
    expect(dashboard().get(d.id)).toBeUndefined();
    expect(lead().get(l.id)).toMatchObject({ enabled: false });
  });

  it("a delete that arrives while the create is still on its way to the other systems still removes it there", async () => {
    h.samples.system("dashboard").setFaults({ latencyMs: 400 });
    h.samples.system("lead-centre").setFaults({ latencyMs: 400 });
    try {
      const c = cms().create({ name: "Short Lived", slug: "short-lived", description: "x", active: true });
      await new Promise((r) => setTimeout(r, 250)); // the creates to the Dashboard and Lead Centre are in flight
      cms().remove(c.id);
      await h.settle({ timeoutMs: 30_000 });
    } finally {
      h.samples.system("dashboard").setFaults({ latencyMs: 0 });
      h.samples.system("lead-centre").setFaults({ latencyMs: 0 });
    }
    expect(find(dashboard().all(), "short-lived")).toEqual([]);
    expect(find(lead().all(), "short-lived").every((l) => l.enabled === false)).toBe(true);
  });

  it("the echo of a create that its delete overtook is linked to the deleted record, never starts it again, and the delete removes it", async () => {
    // Driven step by step: the worker is stopped, and Concord's own create to the Dashboard is "in flight".
    await withWorkerStopped(async () => {
      const c = cms().create({ name: "Overtaken", slug: "overtaken", description: "o", active: true });
      const created = await apply({ entity: "industry", system: "cms", kind: "create", externalId: String(c.id), doc: { ...c } });
      expect(created.outcome).toBe("created");
      const claimed = await claimDeliveries(h.engine, { limit: 10, leaseMs: 3000 });
      expect(claimed.filter((d) => d.record_id === created.recordId).map((d) => d.system).sort()).toEqual(["dashboard", "lead-centre"]);
      // The Dashboard applied the create (its webhook is the echo below); meanwhile the CMS deleted it.
      dashboard().setConfig({ webhooks: false });
      const inDashboard = dashboard().create({ name: "Overtaken", slug: "overtaken", description: "o", is_active: true, cms_id: String(c.id) });
      dashboard().setConfig({ webhooks: true });
      cms().remove(c.id);
      expect((await apply({ entity: "industry", system: "cms", kind: "delete", externalId: String(c.id), doc: null })).outcome).toBe("deleted");

      const echo = await apply({ entity: "industry", system: "dashboard", kind: "create", externalId: String(inDashboard.id), doc: { ...inDashboard } });
      expect(echo).toMatchObject({ outcome: "stale", recordId: created.recordId });
      expect(await h.engine.db.select().from(records).where(eq(records.naturalKey, "overtaken"))).toHaveLength(1);
      const [link] = await h.engine.db.select().from(links).where(and(eq(links.system, "dashboard"), eq(links.externalId, String(inDashboard.id))));
      expect(link?.recordId).toBe(created.recordId);
    });
    // Once the claims' leases run out, the queued deletes carry on, and the Dashboard's copy goes.
    await h.settle({ timeoutMs: 30_000 });
    expect(find(dashboard().all(), "overtaken")).toEqual([]);
  });

  it("a deleted record's retry never deletes a document of the same key that another record holds", async () => {
    const c = await withWorkerStopped(async () => {
      // R came from the Dashboard; its create in the CMS failed once (nothing made there), then R was deleted.
      const d = dashboard().create({ name: "Key Reused", slug: "key-reused", description: "r", is_active: true, cms_id: null });
      const r = await apply({ entity: "industry", system: "dashboard", kind: "create", externalId: String(d.id), doc: { ...d } });
      await h.engine.db.update(deliveries).set({ attempts: 1 }).where(and(eq(deliveries.recordId, r.recordId!), eq(deliveries.system, "cms")));
      dashboard().remove(d.id);
      await apply({ entity: "industry", system: "dashboard", kind: "delete", externalId: String(d.id), doc: null });
      // Meanwhile the CMS made its own industry with that key: a new record, R2, linked to it.
      cms().setConfig({ webhooks: false });
      const c = cms().create({ name: "Key Reused", slug: "key-reused", description: "theirs", active: true });
      cms().setConfig({ webhooks: true });
      const r2 = await apply({ entity: "industry", system: "cms", kind: "create", externalId: String(c.id), doc: { ...c } });
      expect(r2.outcome).toBe("created");

      return c;
    });
    await h.settle({ timeoutMs: 30_000 });
    expect(find(cms().all(), "key-reused").map((x) => x.id)).toEqual([c.id]);
  });

  it("a create whose worker died after the target applied it is found by natural key and deleted with its record", async () => {
    await withWorkerStopped(async () => {
      dashboard().setConfig({ webhooks: false });
      const d = dashboard().create({ name: "Crashed Create", slug: "crashed-create", description: "c", is_active: true, cms_id: null });
      const r = await apply({ entity: "industry", system: "dashboard", kind: "create", externalId: String(d.id), doc: { ...d } });
      // A worker claims the CMS create and sends it; the CMS applies it; the worker dies before recording anything.
      const claimed = await claimDeliveries(h.engine, { limit: 10, leaseMs: 500 });
      expect(claimed.some((c) => c.record_id === r.recordId && c.system === "cms")).toBe(true);
      cms().setConfig({ webhooks: false });
      cms().create({ name: "Crashed Create", slug: "crashed-create", description: "c", active: true });
      cms().setConfig({ webhooks: true });
      // The record is deleted before anyone notices: its delete to the CMS queues behind the dead claim.
      dashboard().remove(d.id);
      dashboard().setConfig({ webhooks: true });
      await apply({ entity: "industry", system: "dashboard", kind: "delete", externalId: String(d.id), doc: null });
      await new Promise((resolve) => setTimeout(resolve, 600)); // the dead worker's lease runs out
    });
    await h.settle({ timeoutMs: 30_000 });
    expect(find(cms().all(), "crashed-create")).toEqual([]);
  });

  it("a delete in the one-way Lead Centre is undone: Concord puts the record back", async () => {
    const { l } = await createEverywhere("delete-from-lead");
    lead().remove(l.id);
    await h.settle();
    expect(find(lead().all(), "delete-from-lead")).toHaveLength(1);
    expect(find(dashboard().all(), "delete-from-lead")).toHaveLength(1);
  });
});

describe("effectively once", () => {
  it("the same webhook sent 5 times makes one record and one write in each target", async () => {
    const writesBefore = cms().stats().writes.create;
    const now = new Date().toISOString();
    const data = { id: 777_001, name: "Five Times", slug: "five-times", description: "x", is_active: true, cms_id: null, internal_notes: "", created_at: now, updated_at: now };
    for (let i = 0; i < 5; i++) {
      const res = await postWebhook({ url: h.concordUrl, system: "dashboard", secret: h.samples.secrets.dashboard, id: "msg_five", body: { type: "industry.created", timestamp: now, data } });
      expect(res.ok).toBe(true);
    }
    await h.settle();
    expect(await h.engine.db.select().from(records).where(eq(records.naturalKey, "five-times"))).toHaveLength(1);
    expect(find(cms().all(), "five-times")).toHaveLength(1);
    expect(find(lead().all(), "five-times")).toHaveLength(1);
    expect(cms().stats().writes.create - writesBefore).toBe(1);
  });

  it("a target that applies a create but times out never ends up with a duplicate", async () => {
    await h.engine.db.update(systems).set({ timeoutMs: 300 }).where(eq(systems.key, "cms"));
    cms().setFaults({ applyButTimeoutMs: 1500 });
    try {
      dashboard().create({ name: "Timed Out", slug: "timed-out", description: "t", is_active: true });
      await h.settle({ timeoutMs: 30_000 });
    } finally {
      cms().setFaults({ applyButTimeoutMs: 0 });
      await h.engine.db.update(systems).set({ timeoutMs: 10_000 }).where(eq(systems.key, "cms"));
    }
    await h.settle();
    const inCms = find(cms().all(), "timed-out");
    expect(inCms).toHaveLength(1);
    expect(find(dashboard().all(), "timed-out")[0]!.cms_id).toBe(inCms[0]!.id);
  });

  it("a create that was applied but timed out, then a delete before its retry: the retry finds the document and deletes it", async () => {
    // The CMS sends no webhooks meanwhile: no echo tells Concord where its create landed.
    await h.engine.db.update(systems).set({ timeoutMs: 300 }).where(eq(systems.key, "cms"));
    cms().setFaults({ applyButTimeoutMs: 1500 });
    cms().setConfig({ webhooks: false });
    try {
      const d = dashboard().create({ name: "Gone Before Retry", slug: "gone-before-retry", description: "g", is_active: true });
      // The CMS applied the create; Concord saw a timeout and will retry in a second.
      await expect.poll(() => find(cms().all(), "gone-before-retry").length, { timeout: 10_000 }).toBe(1);
      dashboard().remove(d.id);
      await h.settle({ timeoutMs: 30_000 });
    } finally {
      cms().setConfig({ webhooks: true });
      cms().setFaults({ applyButTimeoutMs: 0 });
      await h.engine.db.update(systems).set({ timeoutMs: 10_000 }).where(eq(systems.key, "cms"));
    }
    expect(find(cms().all(), "gone-before-retry")).toEqual([]);
    expect(find(lead().all(), "gone-before-retry").every((l) => l.enabled === false)).toBe(true);
  });
});
