import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveries, deliveryAttempts, records } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { Worker } from "~/server/engine/worker";
import { claimDeliveries } from "~/server/services/delivery/claim";
import { processWebhookEvents } from "~/server/services/webhooks/process-webhook-events";
import { createTestEngine } from "../helpers/engine";
import { startHarness, type Harness } from "../helpers/harness";

/** Short leases, so a dead worker's claims run out within the test; every bound below is a few leases. */
const LEASE_MS = 1_000;

let h: Harness;
let other: Engine; // a second worker process's engine on the same database
beforeAll(async () => {
  h = await startHarness({ worker: false });
  const s = h.samples;
  other = await createTestEngine(h.t, {
    overrides: {
      dashboard: { url: `${s.url}/dashboard`, auth: `Bearer ${s.apiKey}` },
      cms: { url: `${s.url}/cms`, auth: `users API-Key ${s.apiKey}` },
      "lead-centre": { url: `${s.url}/lead-centre`, auth: `Bearer ${s.apiKey}` },
    },
  });
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

const cms = () => h.samples.system("cms");

/** A new industry in the Dashboard, its webhook applied: deliveries to the CMS and the Lead Centre wait. */
async function industry(slug: string): Promise<string> {
  h.samples.system("dashboard").create({ name: `Lease ${slug}`, slug, description: "", is_active: true, cms_id: null });
  await h.samples.system("dashboard").webhooksIdle();
  await processWebhookEvents(h.engine, { limit: 10 });
  const [r] = await h.engine.db.select().from(records).where(eq(records.naturalKey, slug));
  return r!.id;
}
const cmsDeliveries = (recordId: string) => h.engine.db.select().from(deliveries).where(and(eq(deliveries.recordId, recordId), eq(deliveries.system, "cms")));

/** Polls until `done` holds, failing after `ms`; returns how long it took. */
async function until(what: string, ms: number, done: () => Promise<boolean> | boolean): Promise<number> {
  const t0 = Date.now();
  while (!(await done())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - t0;
}

describe("delivery leases", () => {
  it("deliveries claimed by a worker that died come back within about a lease and are sent once", async () => {
    const recordId = await industry("lease-dead-worker");
    const creates = cms().stats().writes.create;
    // A worker claims the deliveries and dies before sending: no renewal, no finish.
    const claimed = await claimDeliveries(other, { limit: 10, leaseMs: LEASE_MS });
    expect(claimed.filter((c) => c.record_id === recordId).map((c) => c.system).sort()).toEqual(["cms", "lead-centre"]);
    const worker = new Worker(h.engine, { concurrency: 4, leaseMs: LEASE_MS, idleMs: 100 });
    worker.start();
    try {
      const took = await until("the CMS to have it", 10 * LEASE_MS, () => cms().all().some((d) => d.slug === "lease-dead-worker"));
      expect(took).toBeLessThan(5 * LEASE_MS); // the lease, half a lease until the reaper looks, and the send
      await until("its deliveries to finish", 10 * LEASE_MS, async () => (await cmsDeliveries(recordId)).every((d) => d.status === "succeeded"));
    } finally {
      await worker.stop();
    }
    expect(cms().stats().writes.create - creates).toBe(1);
    // The dead send counts as an attempt (it may have reached the target).
    expect((await cmsDeliveries(recordId)).map((d) => [d.status, d.attempts])).toEqual([["succeeded", 1]]);
  });

  it("a send slower than the lease keeps its claim while its worker lives: the other worker never sends it too", async () => {
    const recordId = await industry("lease-slow-send");
    const creates = cms().stats().writes.create;
    cms().setFaults({ latencyMs: 4 * LEASE_MS });
    const workers = [new Worker(h.engine, { concurrency: 4, leaseMs: LEASE_MS, idleMs: 100 }), new Worker(other, { concurrency: 4, leaseMs: LEASE_MS, idleMs: 100 })];
    workers.forEach((w) => w.start());
    try {
      await until("the slow create", 20 * LEASE_MS, async () => (await cmsDeliveries(recordId)).every((d) => d.status === "succeeded"));
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      cms().setFaults({ latencyMs: 0 });
    }
    expect(cms().stats().writes.create - creates).toBe(1);
    const sent = await cmsDeliveries(recordId);
    expect(sent.map((d) => [d.status, d.attempts])).toEqual([["succeeded", 0]]);
    const attempts = await h.engine.db.select().from(deliveryAttempts).where(inArray(deliveryAttempts.deliveryId, sent.map((d) => Number(d.id))));
    // One send (its natural-key lookup and its POST), every request a success: none timed out, none repeated.
    expect(attempts.every((a) => a.outcome === "success")).toBe(true);
    expect(attempts.filter((a) => a.method === "POST")).toHaveLength(1);
  }, 60_000);
});
