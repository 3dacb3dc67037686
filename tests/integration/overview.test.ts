import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineConfig, defaultConfig } from "~/sync/config";
import { industryEntity } from "~/sync/config/industries";
import { systemDefs } from "~/sync/config/systems";
import { conflicts, deliveries, deliveryAttempts, systems } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { deriveTopology } from "~/server/services/overview/topology";
import { callerFor, makeUser, sessionFor } from "../helpers/actors";
import { industryConfig } from "../helpers/configs";
import { createTestDb, type TestDb } from "../helpers/db";
import { createTestEngine } from "../helpers/engine";

/** The engine's clock stands still here, so every window and bucket below is exact. */
const NOW = new Date("2030-03-04T12:30:30.000Z");
const at = (iso: string) => new Date(`2030-03-04T${iso}Z`);
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const MIN = 60_000;

let t: TestDb;
let engine: Engine;
let viewer: ReturnType<typeof callerFor>;

async function delivery(system: string, status: string, createdAt: Date, finishedAt: Date | null = null): Promise<number> {
  const [row] = await engine.db
    .insert(deliveries)
    .values({ recordId: randomUUID(), entity: "industry", system, status, createdAt, updatedAt: createdAt, finishedAt })
    .returning({ id: deliveries.id });
  return Number(row!.id);
}
async function attempts(deliveryId: number, outcome: string, when: Date, n = 1) {
  await engine.db.insert(deliveryAttempts).values(Array.from({ length: n }, () => ({ deliveryId, outcome, at: when, statusCode: outcome === "success" ? 200 : 503 })));
}

beforeAll(async () => {
  t = await createTestDb();
  engine = await createTestEngine(t, { now: () => NOW });
  viewer = callerFor(t.db, sessionFor(await makeUser(t.db, "overview-viewer@concord.test", "viewer")), engine);

  // Dashboard: five deliveries in the last hour with lags of 10, 20, 30, 40 and 100 s (three in the 12:10 minute),
  // one two hours ago, and three waiting (the oldest for 20 minutes).
  const lags = [
    ["12:10:05", 10],
    ["12:10:20", 20],
    ["12:10:50", 30],
    ["12:15:00", 40],
    ["12:29:00", 100],
  ] as const;
  for (const [fin, lag] of lags) {
    const id = await delivery("dashboard", "succeeded", new Date(at(fin).getTime() - lag * 1000), at(fin));
    await attempts(id, "success", at(fin));
  }
  const old = await delivery("dashboard", "succeeded", at("10:29:55"), at("10:30:00"));
  await attempts(old, "retry", at("10:29:58"));
  await attempts(old, "success", at("10:30:00"));
  const retrying = await delivery("dashboard", "retrying", ago(5 * MIN));
  await attempts(retrying, "retry", at("12:20:00"));
  await delivery("dashboard", "pending", ago(20 * MIN));
  await delivery("dashboard", "in_flight", ago(1 * MIN));

  // CMS: two of its three attempts in the last hour failed, one delivery went dead at 12:25.
  const cmsOk = await delivery("cms", "succeeded", at("12:01:00"), at("12:01:02"));
  await attempts(cmsOk, "success", at("12:01:02"));
  const dead = await delivery("cms", "dead", at("12:20:00"), at("12:25:00"));
  await attempts(dead, "retry", at("12:20:10"));
  await attempts(dead, "dead", at("12:25:00"));
  await attempts(dead, "rate_limited", at("12:22:00")); // a 429 is counted as an attempt, not a failure

  // The Lead Centre is switched off; one open conflict between the CMS and the Dashboard, one resolved.
  await engine.db.update(systems).set({ enabled: false }).where(eq(systems.key, "lead-centre"));
  const conflict = { recordId: randomUUID(), entity: "industry", field: "name", theirsSystem: "cms", oursSystem: "dashboard", reason: "manual" };
  await engine.db.insert(conflicts).values([conflict, { ...conflict, status: "resolved" }]);
}, 120_000);
afterAll(async () => {
  await t?.destroy();
});

describe("overview.health", () => {
  it("gives each system its last success, error rate, queue, oldest waiting age, lag and state", async () => {
    const health = await viewer.overview.health();
    expect(health.map((h) => h.key)).toEqual(Object.keys(defaultConfig.systems));
    const dash = health.find((h) => h.key === "dashboard")!;
    expect(dash).toMatchObject({
      state: "degraded", // a failed attempt, and a delivery waiting 20 minutes
      enabled: true,
      lastSuccessAt: at("12:29:00"),
      attempts: 6,
      failedAttempts: 1,
      queue: { pending: 1, retrying: 1, in_flight: 1, total: 3 },
      oldestWaitingAt: ago(20 * MIN),
      oldestWaitingAgeMs: 20 * MIN,
      delivered: 5,
      lagP50Ms: 30_000,
      lagP95Ms: 88_000, // percentile_cont: 40 + 0.8 × (100 − 40)
      dead: 0,
      openConflicts: 1,
    });
    expect(dash.errorRate).toBeCloseTo(1 / 6, 10);

    const cms = health.find((h) => h.key === "cms")!;
    expect(cms).toMatchObject({ state: "failing", attempts: 4, failedAttempts: 2, errorRate: 0.5, dead: 1, delivered: 1, lagP50Ms: 2000, lagP95Ms: 2000, openConflicts: 1 });
    expect(cms.queue.total).toBe(0);
    expect(cms.oldestWaitingAt).toBeNull();

    const lead = health.find((h) => h.key === "lead-centre")!;
    expect(lead).toMatchObject({ state: "disabled", enabled: false, lastSuccessAt: null, attempts: 0, errorRate: null, lagP50Ms: null, openConflicts: 0 });
  });

  it("follows the current state: once the dead delivery is replayed and delivered, the CMS is healthy again within the hour", async () => {
    const [dead] = await engine.db.select().from(deliveries).where(and(eq(deliveries.system, "cms"), eq(deliveries.status, "dead")));
    await engine.db.update(deliveries).set({ status: "succeeded", finishedAt: at("12:29:30") }).where(eq(deliveries.id, dead!.id));
    await attempts(dead!.id, "success", at("12:29:30"));
    try {
      const cms = (await viewer.overview.health()).find((h) => h.key === "cms")!;
      expect(cms).toMatchObject({ state: "healthy", attempts: 5, failedAttempts: 0, errorRate: 0, dead: 0 });
    } finally {
      await engine.db.delete(deliveryAttempts).where(and(eq(deliveryAttempts.deliveryId, dead!.id), eq(deliveryAttempts.outcome, "success")));
      await engine.db.update(deliveries).set({ status: "dead", finishedAt: at("12:25:00") }).where(eq(deliveries.id, dead!.id));
    }
  });
});

describe("overview.series", () => {
  it("buckets the last 60 minutes per minute: succeeded, failed attempts, dead and lag", async () => {
    const s = await viewer.overview.series({ range: "1h" });
    expect(s.points).toHaveLength(60);
    expect(s.to).toBe(at("12:31:00").getTime()); // the last bucket is the minute now is in
    expect(s.from).toBe(at("11:31:00").getTime());
    expect(s.points.every((p, i) => p.at === s.from + i * 60_000)).toBe(true);
    const point = (hhmm: string) => s.points.find((p) => p.at === at(`${hhmm}:00`).getTime())!;
    expect(point("12:10")).toEqual({ at: at("12:10:00").getTime(), succeeded: 3, failedAttempts: 0, dead: 0, lagP50Ms: 20_000, lagP95Ms: 29_000 });
    expect(point("12:20")).toMatchObject({ succeeded: 0, failedAttempts: 2, dead: 0, lagP50Ms: null });
    expect(point("12:25")).toMatchObject({ succeeded: 0, failedAttempts: 1, dead: 1 });
    expect(point("12:29")).toMatchObject({ succeeded: 1, lagP50Ms: 100_000 });
    expect(s.totals).toEqual({ succeeded: 6, failedAttempts: 3, dead: 1 }); // 5 to the Dashboard, 1 to the CMS
  });

  it("buckets the last 24 hours per hour, and defaults to the last hour", async () => {
    const s = await viewer.overview.series({ range: "24h" });
    expect(s.points).toHaveLength(24);
    expect(s.to).toBe(at("13:00:00").getTime());
    const hour = (hh: string) => s.points.find((p) => p.at === at(`${hh}:00:00`).getTime())!;
    expect(hour("10")).toMatchObject({ succeeded: 1, failedAttempts: 1, lagP50Ms: 5000 });
    expect(hour("12")).toMatchObject({ succeeded: 6, failedAttempts: 3, dead: 1 });
    expect(s.totals).toEqual({ succeeded: 7, failedAttempts: 4, dead: 1 });
    expect((await viewer.overview.series()).range).toBe("1h");
  });

  it("refuses an unknown range naming the field", async () => {
    const err = await viewer.overview.series({ range: "7d" as "1h" }).catch((e: unknown) => e);
    expect(JSON.stringify((err as { cause?: unknown }).cause)).toContain("range");
  });
});

describe("overview.topology", () => {
  it("derives the shipped flows: Dashboard ↔ CMS two-way, the Lead Centre fed one-way by both", async () => {
    const topo = await viewer.overview.topology();
    expect(topo.systems.map((s) => s.key)).toEqual(Object.keys(defaultConfig.systems));
    const industry = topo.flows.filter((f) => f.entity === "industry").map(({ from, to, twoWay }) => ({ from, to, twoWay }));
    expect(industry).toEqual([
      { from: "dashboard", to: "cms", twoWay: true },
      { from: "dashboard", to: "lead-centre", twoWay: false },
      { from: "cms", to: "lead-centre", twoWay: false },
    ]);
  });

  it("follows the configuration: Option A is one-way from the owner, and receivers alone make no flow", () => {
    const optionA = deriveTopology(industryConfig({ optionA: "overwrite" }));
    const between = optionA.flows.filter((f) => [f.from, f.to].includes("cms") && [f.from, f.to].includes("dashboard"));
    expect(between).toMatchObject([{ from: "dashboard", to: "cms", twoWay: false }]);

    const widget = { ...industryEntity, key: "widget", label: "Widget" };
    const config = defineConfig({
      entities: [widget],
      systems: systemDefs,
      bindings: [
        { entity: "widget", system: "dashboard", resource: "widgets", fields: { name: { field: "name", direction: "owner" }, slug: { field: "slug", direction: "owner" } } },
        { entity: "widget", system: "cms", resource: "widgets", fields: { name: { field: "name", direction: "receive" }, slug: { field: "slug", direction: "receive" } } },
        { entity: "widget", system: "lead-centre", resource: "widgets", fields: { slug: { field: "slug", direction: "receive" } } },
      ],
    });
    expect(deriveTopology(config).flows).toEqual([
      { entity: "widget", entityLabel: "Widget", from: "dashboard", to: "cms", twoWay: false, fields: ["name", "slug"] },
      { entity: "widget", entityLabel: "Widget", from: "dashboard", to: "lead-centre", twoWay: false, fields: ["slug"] },
    ]);
  });
});
