import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { env } from "~/env";
import { auditLog, changes, deliveries, deliveryAttempts, links, records } from "~/server/db/schema";
import { runTick } from "~/server/services/schedules/run-tick";
import { callerFor, makeUser, sessionFor } from "../helpers/actors";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
let admin: ReturnType<typeof callerFor>;
let viewer: ReturnType<typeof callerFor>;
beforeAll(async () => {
  h = await startHarness();
  admin = callerFor(h.engine.db, sessionFor(await makeUser(h.engine.db, "restorer@concord.test", "admin")), h.engine);
  viewer = callerFor(h.engine.db, sessionFor(await makeUser(h.engine.db, "restore-viewer@concord.test", "viewer")), h.engine);
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
const all = <T extends { slug: string }>(docs: T[], slug: string) => docs.filter((d) => d.slug === slug);
const recordOf = async (id: string) => (await h.engine.db.select().from(records).where(eq(records.id, id)))[0]!;
async function codeOf(p: Promise<unknown>): Promise<{ code: string; message: string; field?: string }> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(TRPCError);
  const e = err as TRPCError;
  return { code: e.code, message: e.message, field: (e.cause as { field?: string } | undefined)?.field };
}

describe("restoring a deleted record", () => {
  it("a Dashboard delete leaves a tombstone; restore brings the record back in every system, once", async () => {
    dashboard().create({ name: "Wave Power", slug: "wave-power", description: "Swell", is_active: true });
    await h.settle();
    const id = (await h.engine.db.select().from(records).where(eq(records.naturalKey, "wave-power")))[0]!.id;
    dashboard().remove(all(dashboard().all(), "wave-power")[0]!.id);
    await h.settle();
    expect(all(cms().all(), "wave-power")).toEqual([]);
    expect(all(lead().all(), "wave-power")[0]).toMatchObject({ enabled: false });

    const page = await viewer.records.page({ id });
    expect(page.record.deleted).toBe(true);
    expect(page.deletion).toMatchObject({ by: "dashboard" });
    expect(page.deletion!.expiresAt.getTime() - page.deletion!.deletedAt.getTime()).toBe(env.TOMBSTONE_DAYS * 86_400_000);
    expect(page.systems.find((s) => s.system === "cms")!.link).toMatchObject({ removed: true });
    expect((await viewer.records.list({ entity: "industry", onlyDeleted: true })).items.map((i) => i.naturalKey)).toEqual(["wave-power"]);
    const versionBefore = (await recordOf(id)).version;

    expect((await codeOf(viewer.records.restore({ id }))).code).toBe("FORBIDDEN");
    const restored = await admin.records.restore({ id });
    expect(restored.record).toMatchObject({ deleted: false, version: versionBefore + 1 });
    expect(restored.targets.sort()).toEqual(["cms", "dashboard", "lead-centre"]);
    await h.settle();

    const [d] = all(dashboard().all(), "wave-power");
    const [c] = all(cms().all(), "wave-power");
    expect(all(dashboard().all(), "wave-power")).toHaveLength(1);
    expect(all(cms().all(), "wave-power")).toHaveLength(1);
    expect(all(lead().all(), "wave-power")).toHaveLength(1);
    expect(d).toMatchObject({ name: "Wave Power", description: "Swell", is_active: true, cms_id: c!.id });
    expect(c).toMatchObject({ name: "Wave Power", description: "Swell", active: true });
    expect(all(lead().all(), "wave-power")[0]).toMatchObject({ title: "Wave Power", enabled: true });

    // The links name the new documents, none is a tombstone any more.
    const rows = await h.engine.db.select().from(links).where(eq(links.recordId, id));
    expect(Object.fromEntries(rows.map((l) => [l.system, l.externalId]))).toMatchObject({ dashboard: String(d!.id), cms: String(c!.id) });
    expect(rows.every((l) => !(l.lastValues && "$deleted" in l.lastValues))).toBe(true);
    expect((await recordOf(id)).deletedAt).toBeNull();

    const [change] = await h.engine.db.select().from(changes).where(and(eq(changes.recordId, id), eq(changes.outcome, "restored")));
    expect(change).toMatchObject({ system: "concord", detail: expect.stringContaining("restorer@concord.test") as string });
    const [audit] = await h.engine.db.select().from(auditLog).where(eq(auditLog.action, "records.restore"));
    expect(audit).toMatchObject({ actorLabel: "restorer@concord.test", actorKind: "user", target: `industry:${id}` });
    const timeline = await viewer.records.timeline({ id, limit: 100 });
    expect(timeline.items.some((e) => e.type === "change" && e.change.outcome === "restored")).toBe(true);
    expect(timeline.items.some((e) => e.type === "change" && e.change.kind === "delete" && e.change.system === "dashboard")).toBe(true);

    const again = await codeOf(admin.records.restore({ id }));
    expect(again.code).toBe("CONFLICT");
    expect(again.message).toContain("not deleted");
  });

  it("is refused, changing nothing, when another live record now has the same natural key", async () => {
    await admin.records.upsert({ entity: "industry", origin: "dashboard", data: { name: "Kelp", slug: "kelp" } });
    await h.settle();
    const old = (await admin.records.delete({ entity: "industry", origin: "dashboard", naturalKey: "kelp" })).record;
    await h.settle();
    cms().create({ name: "Kelp Farming", slug: "kelp", description: "new", active: true });
    await h.settle();
    const before = await recordOf(old.id);
    const changesBefore = await h.engine.db.select().from(changes).where(eq(changes.recordId, old.id));

    const refused = await codeOf(admin.records.restore({ id: old.id }));
    expect(refused).toMatchObject({ code: "CONFLICT", field: "slug" });
    expect(refused.message).toContain('now has slug "kelp"');
    expect(refused.message).toContain("Kelp Farming");
    expect(await recordOf(old.id)).toEqual(before);
    expect(await h.engine.db.select().from(changes).where(eq(changes.recordId, old.id))).toHaveLength(changesBefore.length);
    expect(all(dashboard().all(), "kelp").map((x) => x.name)).toEqual(["Kelp Farming"]);
  });
});

describe("tombstone pruning", () => {
  it("the tick removes tombstones past TOMBSTONE_DAYS with their history, and keeps live records, younger tombstones and busy ones", async () => {
    const day = 86_400_000;
    const at = (days: number) => new Date(Date.now() - days * day);
    const make = async (slug: string, deletedDaysAgo: number | null) => {
      const [row] = await h.engine.db
        .insert(records)
        .values({ entity: "industry", naturalKey: slug, data: { name: slug, slug, description: null, active: true }, createdAt: at(90), deletedAt: deletedDaysAgo === null ? null : at(deletedDaysAgo) })
        .returning();
      return row!.id;
    };
    const expired = await make("expired-tombstone", 40);
    const young = await make("young-tombstone", 10);
    const busy = await make("busy-tombstone", 40);
    const live = await make("old-live-record", null);
    await h.engine.db.insert(links).values({ recordId: expired, entity: "industry", system: "cms", externalId: "0000000000000000000000aa", lastValues: { $deleted: true } });
    await h.engine.db.insert(changes).values({ recordId: expired, entity: "industry", system: "cms", kind: "delete", outcome: "deleted", at: at(40) });
    const [done] = await h.engine.db.insert(deliveries).values({ recordId: expired, entity: "industry", system: "dashboard", status: "succeeded", action: "delete" }).returning();
    await h.engine.db.insert(deliveryAttempts).values({ deliveryId: done!.id, outcome: "success", statusCode: 204 });
    // Still being tried (far in the future, so the worker leaves it alone): the tombstone waits for it.
    await h.engine.db.insert(deliveries).values({ recordId: busy, entity: "industry", system: "cms", status: "retrying", attempts: 1, nextAttemptAt: new Date(Date.now() + 3600_000) });

    const summary = await runTick({ engine: h.engine, budgetMs: 10_000, drain: false, tombstoneDays: 30 });
    expect(summary.prunedTombstones).toBe(1);
    const left = (await h.engine.db.select({ id: records.id }).from(records)).map((r) => r.id);
    expect(left).not.toContain(expired);
    expect(left).toEqual(expect.arrayContaining([young, busy, live]));
    expect(await h.engine.db.select().from(links).where(eq(links.recordId, expired))).toEqual([]);
    expect(await h.engine.db.select().from(changes).where(eq(changes.recordId, expired))).toEqual([]);
    expect(await h.engine.db.select().from(deliveries).where(eq(deliveries.recordId, expired))).toEqual([]);
    expect(await h.engine.db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, done!.id))).toEqual([]);
    // The restored record of the first test is live and stays.
    expect((await viewer.records.list({ entity: "industry", search: "wave" })).total).toBe(1);
    // A shorter window reaches the younger tombstone too.
    expect((await runTick({ engine: h.engine, budgetMs: 10_000, drain: false, tombstoneDays: 5 })).prunedTombstones).toBe(1);
  });
});
