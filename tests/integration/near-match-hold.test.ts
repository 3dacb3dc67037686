import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, conflicts, deliveries, records } from "~/server/db/schema";
import { createRun } from "~/server/services/runs/create-run";
import { executeRun } from "~/server/services/runs/execute-run";
import { callerFor, makeUser, sessionFor } from "../helpers/actors";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
let admin: ReturnType<typeof callerFor>;
let viewer: ReturnType<typeof callerFor>;

const dashboard = () => h.samples.system("dashboard");
const cms = () => h.samples.system("cms");
const cmsSlugs = () => cms().all().map((d) => String(d.slug)).sort();
const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof TRPCError ? e.code : String(e)));

async function fullRun(): Promise<string> {
  const run = await createRun(h.engine, { entity: "industry", system: "dashboard", kind: "full", trigger: "admin", startedBy: "test" });
  expect((await executeRun(h.engine, run.id)).status).toBe("succeeded");
  await h.settle({ timeoutMs: 60_000 });
  return run.id;
}
const recordIdOf = async (slug: string) => (await h.engine.db.select({ id: records.id }).from(records).where(eq(records.naturalKey, slug)))[0]!.id;

beforeAll(async () => {
  h = await startHarness({ worker: true });
  admin = callerFor(h.t.db, sessionFor(await makeUser(h.t.db, "reviewer@concord.test", "admin")), h.engine);
  viewer = callerFor(h.t.db, sessionFor(await makeUser(h.t.db, "watcher@concord.test", "viewer")), h.engine);
  dashboard().seedSample();
  cms().seedSample();
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

describe("a first sync into a system that holds unlinked documents (near-match hold)", () => {
  let runId: string;

  it("creates what has no counterpart, links the same slugs, and holds the near-matches instead of creating them", async () => {
    const before = cmsSlugs();
    runId = await fullRun();
    const after = cmsSlugs();
    // kitchen-fitting (≈ Kitchen Fitters) and roofing (≈ Roofing Services) were not created beside them.
    expect(after).not.toContain("kitchen-fitting");
    expect(after).not.toContain("roofing");
    const dashboardOnly = dashboard().all().filter((d) => !before.includes(String(d.slug))).length;
    expect(after.length).toBe(before.length + dashboardOnly - 2);
    expect(new Set(after).size).toBe(after.length);

    const held = await viewer.duplicates.list({ runId });
    expect(held.items.map((i) => [i.recordKey, i.externalName, i.externalKey, i.reason])).toEqual([
      ["kitchen-fitting", "Kitchen Fitters", "kitchen-fitters", "similar name"],
      ["roofing", "Roofing Services", "roofing-services", "shared words"],
    ]);
    expect(held.items[0]!.score).toBeCloseTo(0.8, 2);
    const pending = await h.engine.db.select().from(deliveries).where(and(eq(deliveries.system, "cms"), eq(deliveries.recordId, held.items[0]!.recordId)));
    expect(pending).toEqual([]);
  });

  it("links a held record to the document it resembles: no duplicate, nothing dead, the differing slug waits as a conflict", async () => {
    const [kitchen] = (await viewer.duplicates.list({ runId })).items;
    const count = cms().all().length;
    expect(await codeOf(viewer.duplicates.decide({ ids: [kitchen!.id], decision: "link" }))).toBe("FORBIDDEN");
    const result = await admin.duplicates.decide({ ids: [kitchen!.id], decision: "link" });
    expect(result).toMatchObject({ done: 1, refused: 0, items: [{ ok: true, status: "linked" }] });
    expect(result.items[0]!.message).toContain("slug");
    await h.settle();
    expect(cms().all().length).toBe(count);
    expect(cms().get(kitchen!.externalId)).toMatchObject({ name: "Kitchen Fitting", slug: "kitchen-fitters" });
    expect(dashboard().all().find((d) => d.slug === "kitchen-fitting")!.cms_id).toBe(kitchen!.externalId);
    const [open] = await h.engine.db.select().from(conflicts).where(and(eq(conflicts.recordId, kitchen!.recordId), eq(conflicts.status, "open")));
    expect(open).toMatchObject({ field: "slug", theirs: "kitchen-fitters", theirsSystem: "cms", ours: "kitchen-fitting", oursSystem: "dashboard" });
    expect(await h.engine.db.select().from(deliveries).where(eq(deliveries.status, "dead"))).toEqual([]);
    expect((await admin.duplicates.decide({ ids: [kitchen!.id], decision: "create" })).items[0]).toMatchObject({ ok: false, message: expect.stringContaining("Already decided: linked") });
  });

  it("creates anyway when asked, audited", async () => {
    const [roofing] = (await viewer.duplicates.list({ runId })).items;
    expect(roofing!.recordKey).toBe("roofing");
    await admin.duplicates.decide({ ids: [roofing!.id], decision: "create" });
    await h.settle();
    expect(cmsSlugs()).toContain("roofing");
    expect(cmsSlugs()).toContain("roofing-services");
    const [row] = await h.engine.db.select().from(auditLog).where(and(eq(auditLog.action, "duplicates.create"), eq(auditLog.target, `record:${roofing!.recordId}`)));
    expect(row).toMatchObject({ actorLabel: "reviewer@concord.test", after: { status: "created" } });
    // The audit log names its target rather than showing a UUID.
    const audited = await admin.audit.list({ action: "duplicates.create" });
    expect(audited.items[0]).toMatchObject({ target: `record:${roofing!.recordId}`, targetLabel: "Roofing (industry)", targetHref: `/records/${roofing!.recordId}` });
    expect((await viewer.duplicates.list({})).total).toBe(0);
  });

  it("skips (the record stays out of the CMS); with the binding's hold turned off a full run creates near-matches", async () => {
    dashboard().seed([{ name: "Accountancy", slug: "accountancy", description: "Books and tax returns.", is_active: true, cms_id: null }]);
    const second = await fullRun();
    const [held] = (await viewer.duplicates.list({ runId: second })).items;
    expect(held).toMatchObject({ recordKey: "accountancy", externalName: "Accounting" });
    await admin.duplicates.decide({ ids: [held!.id], decision: "skip" });
    await h.settle();
    expect(cmsSlugs()).not.toContain("accountancy");
    const again = await fullRun();
    expect((await viewer.duplicates.list({ runId: again })).total).toBe(0);
    expect(cmsSlugs()).not.toContain("accountancy");
    expect((await viewer.duplicates.list({ status: "skipped" })).items.map((i) => i.recordKey)).toEqual(["accountancy"]);

    expect(await codeOf(viewer.duplicates.setHold({ entity: "industry", system: "cms", hold: false, minScore: 0.7 }))).toBe("FORBIDDEN");
    await admin.duplicates.setHold({ entity: "industry", system: "cms", hold: false, minScore: 0.7 });
    expect(await viewer.duplicates.holdSetting({ entity: "industry", system: "cms" })).toEqual({ hold: false, minScore: 0.7 });
    dashboard().seed([{ name: "Web Designs", slug: "web-designs", description: "Sites.", is_active: true, cms_id: null }]);
    const third = await fullRun();
    expect((await viewer.duplicates.list({ runId: third })).total).toBe(0);
    expect(cmsSlugs()).toEqual(expect.arrayContaining(["web-design", "web-designs"]));
    expect(await recordIdOf("web-designs")).toBeTruthy();
  });
});
