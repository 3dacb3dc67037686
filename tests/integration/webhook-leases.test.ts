import { randomUUID } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { records, webhookEvents } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { Worker } from "~/server/engine/worker";
import { claimWebhookEvents } from "~/server/services/webhooks/claim-webhook-events";
import { processWebhookEvents } from "~/server/services/webhooks/process-webhook-events";
import { createTestEngine } from "../helpers/engine";
import { startHarness, type Harness } from "../helpers/harness";

/** Short leases, so a dead worker's claim runs out within the test; the bounds below are a few leases. */
const LEASE_MS = 1_000;

let h: Harness;
let other: Engine; // a second worker's engine on the same database
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

const industry = (id: number, name: string) => ({
  id, name, slug: `lease-${id}`, description: "", is_active: true, cms_id: null, internal_notes: "",
  created_at: "2026-01-01T00:00:00.000Z", updated_at: "2026-01-01T00:00:00.000Z",
});
/** Stores an event as the intake does (no timestamp: nothing but the order of events says which is newer). */
async function store(data: Record<string, unknown>, type = "industry.updated"): Promise<number> {
  const [row] = await h.engine.db
    .insert(webhookEvents)
    .values({ system: "dashboard", webhookId: `msg_${randomUUID()}`, body: JSON.stringify({ type, data }) })
    .returning({ id: webhookEvents.id });
  return Number(row!.id);
}
const events = async (ids: number[]) => {
  const rows = await h.engine.db.select().from(webhookEvents).where(inArray(webhookEvents.id, ids));
  return ids.map((id) => rows.find((r) => Number(r.id) === id)!);
};
const nameOf = async (slug: string) => (await h.engine.db.select().from(records).where(eq(records.naturalKey, slug)))[0]?.data.name ?? null;

/** Runs `step` until `done` holds, failing after `ms`: a bounded poll, never a fixed sleep. */
async function until(what: string, ms: number, step: () => Promise<unknown>, done: () => Promise<boolean>): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    await step();
    if (await done()) return Date.now() - t0;
    if (Date.now() - t0 > ms) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("webhook events held by a worker", () => {
  it("a dead worker's event comes back within a lease, and a newer event of its document is applied only after it", async () => {
    const first = await store(industry(8101, "First"), "industry.created");
    // A worker claims it and dies (it never renews, never finishes).
    expect((await claimWebhookEvents(h.engine, { limit: 10, leaseMs: LEASE_MS })).map((e) => e.id)).toEqual([first]);
    const second = await store(industry(8101, "Second"));
    const unrelated = await store(industry(8102, "Unrelated"), "industry.created");

    // Another worker applies what it may: the other document at once; the newer event of the held document waits.
    await processWebhookEvents(other, { limit: 10, leaseMs: LEASE_MS });
    expect(await nameOf("lease-8102")).toBe("Unrelated");
    expect(await nameOf("lease-8101")).toBeNull();
    expect((await events([first, second])).map((e) => e.status)).toEqual(["processing", "pending"]);

    // Once the dead claim runs out, both are applied, oldest first.
    const waited = await until(
      "the held document's events",
      6 * LEASE_MS,
      () => processWebhookEvents(other, { limit: 10, leaseMs: LEASE_MS }),
      async () => (await events([first, second])).every((e) => e.status === "processed"),
    );
    expect(waited).toBeLessThan(6 * LEASE_MS);
    const [a, b] = await events([first, second]);
    expect([(a!.summary as { outcome: string }).outcome, (b!.summary as { outcome: string }).outcome]).toEqual(["created", "applied"]);
    expect(await nameOf("lease-8101")).toBe("Second");
    expect((await events([unrelated]))[0]!.attempts).toBe(1);
  });

  it("a drain (RUN_WORKERS=false, the cron) waits for the events it held back, within its budget", async () => {
    const first = await store(industry(8151, "First"), "industry.created");
    expect(await claimWebhookEvents(h.engine, { limit: 10, leaseMs: LEASE_MS })).toHaveLength(1); // and dies
    const second = await store(industry(8151, "Second"));
    await new Worker(other, { concurrency: 1, leaseMs: LEASE_MS }).drain({ budgetMs: 10 * LEASE_MS });
    const [a, b] = await events([first, second]);
    expect([a!.status, b!.status]).toEqual(["processed", "processed"]);
    expect([(a!.summary as { outcome: string }).outcome, (b!.summary as { outcome: string }).outcome]).toEqual(["created", "applied"]);
    expect(await nameOf("lease-8151")).toBe("Second");
  }, 30_000);

  it("an event that waits for a retry holds back the newer events of its document, in its batch and after", async () => {
    // The first is thin (only the id): applying it reads the document, and the Dashboard answers 500 for now.
    const first = await store({ id: 8201 });
    const second = await store(industry(8201, "After the retry"));
    h.samples.system("dashboard").setFaults({ errorRate: 1 });
    try {
      await processWebhookEvents(h.engine, { limit: 10, leaseMs: LEASE_MS });
    } finally {
      h.samples.system("dashboard").setFaults({ errorRate: 0 });
    }
    const [a, b] = await events([first, second]);
    expect(a).toMatchObject({ status: "pending", attempts: 1 });
    expect(a!.error).toBeTruthy();
    expect(b).toMatchObject({ status: "pending", attempts: 0 }); // handed back, not counted
    expect(await nameOf("lease-8201")).toBeNull();
    // Out of the way of the next test.
    await h.engine.db.update(webhookEvents).set({ status: "failed" }).where(inArray(webhookEvents.id, [first, second]));
  });

  it("a slow event keeps the later events of its batch claimed: no other worker takes them, each is applied once", async () => {
    const dashboard = h.samples.system("dashboard");
    dashboard.setConfig({ webhooks: false });
    const doc = dashboard.create<{ id: number }>({ name: "Slow", slug: "lease-slow", description: "", is_active: true, cms_id: null });
    const slow = await store({ id: doc.id }); // thin: reading it takes three leases
    const later = await store(industry(8301, "Later"), "industry.created");
    dashboard.setFaults({ latencyMs: 3 * LEASE_MS });
    try {
      const working = processWebhookEvents(h.engine, { limit: 10, leaseMs: LEASE_MS });
      let done = false;
      void working.finally(() => (done = true));
      // The first worker holds both before the other starts polling (else, on Postgres, the other may claim first).
      await until("the first worker's claim", 10 * LEASE_MS, () => Promise.resolve(), async () => (await events([slow, later])).every((e) => e.status === "processing"));
      let takenByOther = 0;
      await until(
        "the slow batch",
        20 * LEASE_MS,
        async () => (takenByOther += await processWebhookEvents(other, { limit: 10, leaseMs: LEASE_MS })),
        () => Promise.resolve(done),
      );
      await working;
      expect(takenByOther).toBe(0); // another claim would also show in the attempts below
    } finally {
      dashboard.setFaults({ latencyMs: 0 });
    }
    expect((await events([slow, later])).map((e) => [e.status, e.attempts])).toEqual([
      ["processed", 1],
      ["processed", 1],
    ]);
    expect(await nameOf("lease-slow")).toBe("Slow");
    expect(await nameOf("lease-8301")).toBe("Later");
  }, 60_000);
});
