import { TRPCError } from "@trpc/server";
import { and, asc, eq, gt, max } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, deliveries, links } from "~/server/db/schema";
import { callerFor, makeUser, sessionFor } from "../helpers/actors";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
let admin: ReturnType<typeof callerFor>;
beforeAll(async () => {
  h = await startHarness();
  admin = callerFor(h.t.db, sessionFor(await makeUser(h.t.db, "replay-admin@concord.test", "admin")), h.engine);
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(async () => {
  h.samples.system("cms").setFaults({ down: false });
  await admin.systems.update({ key: "cms", enabled: true });
  await h.settle();
});

const dashboard = () => h.samples.system("dashboard");
const cms = () => h.samples.system("cms");
const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof TRPCError ? e.code : String(e)));
const inCms = (slug: string) => cms().all().find((d) => d.slug === slug);

async function recordOf(dashboardId: string | number): Promise<string> {
  const [link] = await h.t.db.select().from(links).where(and(eq(links.system, "dashboard"), eq(links.externalId, String(dashboardId))));
  return link!.recordId;
}
const cmsDeliveries = async (recordId: string) => (await admin.deliveries.list({ recordId, system: "cms" })).items.reverse();

/** A Dashboard record whose delivery to the CMS died (the CMS was down through the whole schedule). */
async function deadInCms(slug: string, description = "v1") {
  cms().setFaults({ down: true });
  const doc = dashboard().create({ name: slug, slug, description, is_active: true });
  await h.settle();
  const recordId = await recordOf(doc.id);
  return { doc, recordId };
}

describe("deliveries: replay", () => {
  it("never sends stale data: the record changed while its delivery was dead, the replay sends the newest", async () => {
    const { doc, recordId } = await deadInCms("geothermal", "v1");
    dashboard().update(doc.id, { description: "v2" });
    await h.settle();
    const [first, second] = await cmsDeliveries(recordId);
    expect([first!.status, second!.status]).toEqual(["dead", "dead"]);

    cms().setFaults({ down: false });
    await admin.deliveries.replay({ id: first!.id }); // the one queued when the record said v1
    await h.settle();
    expect(inCms("geothermal")).toMatchObject({ description: "v2" });

    const cancelled = await admin.deliveries.cancel({ id: second!.id });
    expect(cancelled.status).toBe("cancelled");
    expect(await codeOf(admin.deliveries.replay({ id: second!.id }))).toBe("CONFLICT");
    expect(await codeOf(admin.deliveries.replay({ id: first!.id }))).toBe("CONFLICT"); // succeeded
    expect(await codeOf(admin.deliveries.cancel({ id: first!.id }))).toBe("CONFLICT");
    expect(await codeOf(admin.deliveries.replay({ id: 987_654 }))).toBe("NOT_FOUND");
  });

  it("a replay while another delivery of the pair waits supersedes itself and makes the waiting one due now", async () => {
    const { doc, recordId } = await deadInCms("biomass", "v1");
    const [dead] = await cmsDeliveries(recordId);
    await admin.systems.update({ key: "cms", enabled: false });
    cms().setFaults({ down: false });
    dashboard().update(doc.id, { description: "v2" });
    const waiting = await waitForPending(recordId);
    // Push the waiting one into the future, as a retry would; the replay must make it due now.
    await h.t.db.update(deliveries).set({ status: "retrying", attempts: 2, nextAttemptAt: new Date(Date.now() + 3_600_000) }).where(eq(deliveries.id, waiting));

    expect(await admin.deliveries.replay({ id: dead!.id })).toEqual({ id: dead!.id, status: "superseded", dueDeliveryId: waiting });
    const [due] = await h.t.db.select().from(deliveries).where(eq(deliveries.id, waiting));
    expect(due).toMatchObject({ status: "pending", attempts: 0 });
    expect(due!.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);

    await admin.systems.update({ key: "cms", enabled: true });
    await h.settle();
    expect(inCms("biomass")).toMatchObject({ description: "v2" });
    expect((await admin.deliveries.get({ id: dead!.id })).delivery.status).toBe("superseded");
  });

  it("bulk replay by filter needs the count the admin confirmed: a wrong one is refused and changes nothing", async () => {
    await deadInCms("bulk-a");
    await deadInCms("bulk-b");
    const dead = await admin.deliveries.list({ status: ["dead"], system: "cms" });
    expect(dead.total).toBeGreaterThanOrEqual(2);
    const snapshot = () => h.t.db.select().from(deliveries).orderBy(asc(deliveries.id));
    const before = await snapshot();
    const [last] = await h.t.db.select({ id: max(auditLog.id) }).from(auditLog);
    cms().setFaults({ down: false });

    const wrong = await admin.deliveries.replayMany({ filter: { status: "dead", system: "cms" }, expectedCount: dead.total + 1 }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(TRPCError);
    expect((wrong as TRPCError).code).toBe("CONFLICT");
    expect((wrong as TRPCError).message).toContain(`${dead.total} dead deliveries match now`);
    expect(await snapshot()).toEqual(before);
    expect(await h.t.db.select().from(auditLog).where(and(gt(auditLog.id, last?.id ?? 0), eq(auditLog.action, "deliveries.replayMany")))).toEqual([]);

    const done = await admin.deliveries.replayMany({ filter: { status: "dead", system: "cms" }, expectedCount: dead.total });
    expect(done).toEqual({ replayed: dead.total, superseded: 0, skipped: 0 });
    await h.settle();
    expect(inCms("bulk-a")).toBeTruthy();
    expect(inCms("bulk-b")).toBeTruthy();
    expect((await admin.deliveries.list({ status: ["dead"], system: "cms" })).total).toBe(0);
    const [audit] = await h.t.db.select().from(auditLog).where(and(gt(auditLog.id, last?.id ?? 0), eq(auditLog.action, "deliveries.replayMany")));
    expect(audit!.after).toMatchObject({ replayed: dead.total });
  });

  it("bulk replay by ids replays the dead ones and skips the rest", async () => {
    const { recordId } = await deadInCms("by-ids");
    const [dead] = await cmsDeliveries(recordId);
    cms().setFaults({ down: false });
    const done = await admin.deliveries.replayMany({ ids: [dead!.id, dead!.id, 987_654] });
    expect(done).toEqual({ replayed: 1, superseded: 0, skipped: 1 });
    await h.settle();
    expect(inCms("by-ids")).toBeTruthy();
    expect(await codeOf(admin.deliveries.replayMany({ ids: [] }))).toBe("BAD_REQUEST");
  });

  it("lists newest first with filters and pages", async () => {
    const all = await admin.deliveries.list({ pageSize: 200 });
    expect(all.items.map((d) => d.id)).toEqual([...all.items.map((d) => d.id)].sort((a, b) => b - a));
    const page2 = await admin.deliveries.list({ pageSize: 2, page: 2 });
    expect(page2.items.map((d) => d.id)).toEqual(all.items.slice(2, 4).map((d) => d.id));
    expect(page2.total).toBe(all.total);
    const cmsOnly = await admin.deliveries.list({ system: "cms", status: ["succeeded", "superseded"], entity: "industry" });
    expect(cmsOnly.items.every((d) => d.system === "cms" && ["succeeded", "superseded"].includes(d.status))).toBe(true);
    expect(cmsOnly.total).toBeGreaterThan(0);
  });
});

async function waitForPending(recordId: string): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const pending = (await cmsDeliveries(recordId)).find((d) => d.status === "pending");
    if (pending) return pending.id;
    if (Date.now() > deadline) throw new Error("no pending delivery");
    await new Promise((r) => setTimeout(r, 50));
  }
}
