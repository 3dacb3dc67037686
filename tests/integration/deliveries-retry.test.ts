import { and, asc, eq, gt, max } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, deliveries, deliveryAttempts, links } from "~/server/db/schema";
import { callerFor, makeUser, sessionFor } from "../helpers/actors";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
let admin: ReturnType<typeof callerFor>;
beforeAll(async () => {
  h = await startHarness();
  admin = callerFor(h.t.db, sessionFor(await makeUser(h.t.db, "retry-admin@concord.test", "admin")), h.engine);
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(async () => {
  h.samples.system("cms").setFaults({ down: false, rate429: 0 });
  await h.settle();
});

const dashboard = () => h.samples.system("dashboard");
const cms = () => h.samples.system("cms");

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The delivery of the record the Dashboard doc became, to `system`, newest first. */
async function deliveryOf(dashboardId: string | number, system: string) {
  const [link] = await h.t.db.select().from(links).where(and(eq(links.system, "dashboard"), eq(links.externalId, String(dashboardId))));
  if (!link) return undefined;
  const page = await admin.deliveries.list({ recordId: link.recordId, system });
  return page.items[0];
}

const attemptsOf = (id: number) => h.t.db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, id)).orderBy(asc(deliveryAttempts.at), asc(deliveryAttempts.id));

describe("deliveries: retries, dead letters and replay", () => {
  it("target down → retrying on schedule → dead → back up → replay → delivered, every attempt recorded", async () => {
    cms().setFaults({ down: true });
    const doc = dashboard().create({ name: "Tidal", slug: "tidal", description: "Tides.", is_active: true });
    const seenRetrying = await waitFor("a retrying delivery", async () => (await deliveryOf(doc.id, "cms"))?.status === "retrying");
    expect(seenRetrying).toBe(true);
    await h.settle();

    const dead = (await deliveryOf(doc.id, "cms"))!;
    expect(dead).toMatchObject({ status: "dead", attempts: 4, attemptCount: 4 });
    expect(dead.lastError).toMatch(/request failed|no answer/);
    const failed = await attemptsOf(dead.id);
    expect(failed.map((a) => a.outcome)).toEqual(["retry", "retry", "retry", "dead"]);
    for (let i = 1; i < failed.length; i++) {
      // The harness's schedule is [1, 1, 1] s without jitter.
      expect(failed[i]!.at.getTime() - failed[i - 1]!.at.getTime()).toBeGreaterThanOrEqual(950);
    }
    expect(failed.every((a) => a.statusCode === null && a.method && a.url?.includes("/cms/"))).toBe(true);
    expect(cms().all().some((d) => d.slug === "tidal")).toBe(false);
    expect(dashboard().get(doc.id)!.cms_id ?? null).toBeNull();

    cms().setFaults({ down: false });
    const [before] = await h.t.db.select({ id: max(auditLog.id) }).from(auditLog);
    expect(await admin.deliveries.replay({ id: dead.id })).toEqual({ id: dead.id, status: "pending", dueDeliveryId: dead.id });
    await h.settle();

    const inCms = cms().all().find((d) => d.slug === "tidal");
    expect(inCms).toMatchObject({ name: "Tidal", description: "Tides." });
    expect(dashboard().get(doc.id)!.cms_id).toBe(inCms!.id);
    const detail = await admin.deliveries.get({ id: dead.id });
    expect(detail.delivery).toMatchObject({ status: "succeeded", attempts: 0, action: "create", lastError: null });
    expect(detail.attempts.slice(0, 4).map((a) => a.outcome)).toEqual(["retry", "retry", "retry", "dead"]);
    expect(detail.attempts.slice(4).map((a) => [a.method, a.statusCode, a.outcome])).toEqual([
      ["GET", 200, "success"],
      ["POST", 201, "success"],
    ]);
    expect(detail.attempts.every((a) => a.durationMs >= 0 && a.at instanceof Date)).toBe(true);
    const audits = await h.t.db.select().from(auditLog).where(and(gt(auditLog.id, before?.id ?? 0), eq(auditLog.action, "deliveries.replay")));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ target: `delivery:${dead.id}`, actorLabel: "retry-admin@concord.test" });
  });

  it("honours Retry-After on a 429, and a 429 does not count as a failed attempt", async () => {
    cms().setFaults({ rate429: 1, retryAfterSeconds: 2 });
    const doc = dashboard().create({ name: "Throttled", slug: "throttled", description: "Slow down.", is_active: true });
    const d = await waitFor("the cms delivery", () => deliveryOf(doc.id, "cms"));
    const limited = await waitFor("three 429s", async () => {
      const rows = await attemptsOf(d.id);
      return rows.length >= 3 ? rows : null;
    });
    expect(limited.map((a) => [a.statusCode, a.outcome])).toEqual([
      [429, "rate_limited"],
      [429, "rate_limited"],
      [429, "rate_limited"],
    ]);
    for (let i = 1; i < limited.length; i++) {
      expect(limited[i]!.at.getTime() - limited[i - 1]!.at.getTime()).toBeGreaterThanOrEqual(1_900);
    }
    // The schedule is [1, 1, 1]: three counted failures plus one would be dead by now.
    const [row] = await h.t.db.select().from(deliveries).where(eq(deliveries.id, d.id));
    expect(row!.attempts).toBe(0);
    expect(["retrying", "in_flight"]).toContain(row!.status);

    cms().setFaults({ rate429: 0 });
    await h.settle();
    expect(cms().all().find((x) => x.slug === "throttled")).toMatchObject({ name: "Throttled" });
    expect((await admin.deliveries.get({ id: d.id })).delivery).toMatchObject({ status: "succeeded", attempts: 0 });
  });
});
