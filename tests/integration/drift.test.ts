import { TRPCError } from "@trpc/server";
import { asc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, records } from "~/server/db/schema";
import type { TDriftReport } from "~/server/services/drift/drift-view";
import { callerFor, makeUser, sessionFor } from "../helpers/actors";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
let admin: ReturnType<typeof callerFor>;
let viewer: ReturnType<typeof callerFor>;

type TDoc = { id: string | number; slug: string; [k: string]: unknown };
const docs = (system: "dashboard" | "cms" | "lead-centre") => h.samples.system(system).all<TDoc>();
const bySlug = (system: "dashboard" | "cms" | "lead-centre", slug: string) => docs(system).find((d) => d.slug === slug)!;
const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof TRPCError ? e.code : String(e)));

async function recordId(slug: string): Promise<string> {
  const [row] = await h.engine.db.select({ id: records.id }).from(records).where(eq(records.naturalKey, slug));
  return row!.id;
}

/** Waits for a check to leave "running" (it runs in the background), then returns its report. */
async function finished(checkId: string, caller = admin): Promise<TDriftReport> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const report = await caller.drift.report({ checkId, status: "all" });
    if (report.check.status !== "running") return report;
    if (Date.now() > deadline) throw new Error("the drift check did not finish in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A change made in a system while its webhooks are off: Concord never hears of it. */
function quietly(system: "cms" | "lead-centre", slug: string, patch: Record<string, unknown>) {
  const s = h.samples.system(system);
  s.setConfig({ webhooks: false });
  try {
    s.update(bySlug(system, slug).id, patch);
  } finally {
    s.setConfig({ webhooks: true });
  }
}

beforeAll(async () => {
  h = await startHarness();
  admin = callerFor(h.t.db, sessionFor(await makeUser(h.t.db, "drifter@concord.test", "admin")), h.engine);
  viewer = callerFor(h.t.db, sessionFor(await makeUser(h.t.db, "watcher@concord.test", "viewer")), h.engine);
  const dashboard = h.samples.system("dashboard");
  for (const [name, slug] of [["Roofing", "roofing"], ["Plumbing", "plumbing"], ["Carpentry", "carpentry"]]) {
    dashboard.create({ name, slug, description: `${name} work`, is_active: true });
  }
  await h.settle();
});
afterAll(async () => {
  await h?.stop();
});

describe("drift between Concord and the systems", () => {
  it("finds none while every system agrees, comparing every linked document of every system", async () => {
    const started = await admin.drift.startCheck({ entity: "industry" });
    expect(started).toMatchObject({ entity: "industry", status: "running", startedBy: "drifter@concord.test" });
    const report = await finished(started.id);
    expect(report.check).toMatchObject({ status: "done", checked: 9, drifted: 0, error: null });
    expect([report.total, report.openItems, report.records]).toEqual([0, 0, []]);
  });

  it("lists a direct change made in a system with its webhooks off, per field with both values; a viewer reads it but cannot act", async () => {
    quietly("cms", "roofing", { name: "Roofing Experts", description: "Changed in the CMS" });
    quietly("lead-centre", "plumbing", { title: "Plumbing (LC)" });
    await h.settle();
    const roofing = await recordId("roofing");
    const [record] = await h.engine.db.select().from(records).where(eq(records.id, roofing));
    expect(record!.data).toMatchObject({ name: "Roofing", description: "Roofing work" }); // Concord never heard of it

    const { id } = await admin.drift.startCheck({ entity: "industry" });
    const report = await finished(id, viewer);
    expect(report.check).toMatchObject({ status: "done", checked: 9, drifted: 2 });
    expect([report.total, report.openRecords, report.openItems]).toEqual([2, 2, 3]);
    const byName = new Map(report.records.map((r) => [r.name, r]));
    expect(byName.get("Roofing")!.items.map((i) => [i.system, i.field, i.concordValue, i.systemValue, i.status])).toEqual([
      ["cms", "description", "Roofing work", "Changed in the CMS", "open"],
      ["cms", "name", "Roofing", "Roofing Experts", "open"],
    ]);
    expect(byName.get("Roofing")!.items[0]!.externalId).toBe(String(bySlug("cms", "roofing").id));
    expect(byName.get("Plumbing")!.items.map((i) => [i.system, i.field, i.systemValue])).toEqual([["lead-centre", "name", "Plumbing (LC)"]]);

    const cmsOnly = await viewer.drift.report({ checkId: id, system: "cms" });
    expect(cmsOnly.records.map((r) => r.name)).toEqual(["Roofing"]);
    const history = await viewer.drift.checks({ entity: "industry" });
    expect(history.items.map((c) => c.id)[0]).toBe(id);
    expect(await codeOf(viewer.drift.startCheck({ entity: "industry" }))).toBe("FORBIDDEN");
    expect(await codeOf(viewer.drift.makeAgree({ checkId: id, recordIds: [roofing] }))).toBe("FORBIDDEN");
  });

  it("makes them agree — per record, then all, confirmed by count — Concord's values land and a new check shows no drift", async () => {
    const [{ items: [latest] }, roofing, plumbing] = [await admin.drift.checks({ entity: "industry" }), await recordId("roofing"), await recordId("plumbing")];
    const checkId = latest!.id;
    expect(await admin.drift.makeAgree({ checkId, recordIds: [roofing] })).toEqual({ records: 1, deliveries: 1, fixed: 2, skipped: 0 });
    expect(await codeOf(admin.drift.makeAgree({ checkId, all: true, expectedCount: 2 }))).toBe("CONFLICT"); // only Plumbing is left
    expect(await admin.drift.makeAgree({ checkId, all: true, expectedCount: 1 })).toEqual({ records: 1, deliveries: 1, fixed: 1, skipped: 0 });
    const after = await admin.drift.report({ checkId, status: "all" });
    expect(after.openItems).toBe(0);
    expect(after.records.flatMap((r) => r.items.map((i) => i.status))).toEqual(["fixed", "fixed", "fixed"]);

    await h.settle();
    expect(bySlug("cms", "roofing")).toMatchObject({ name: "Roofing", description: "Roofing work" });
    expect(bySlug("lead-centre", "plumbing")).toMatchObject({ title: "Plumbing" });
    expect(bySlug("dashboard", "roofing")).toMatchObject({ name: "Roofing", description: "Roofing work" });

    const again = await finished((await admin.drift.startCheck({ entity: "industry" })).id);
    expect(again.check).toMatchObject({ status: "done", checked: 9, drifted: 0 });

    const rows = await h.engine.db.select().from(auditLog).where(inArray(auditLog.action, ["drift.startCheck", "drift.makeAgree"])).orderBy(asc(auditLog.id));
    expect(rows.filter((r) => r.action === "drift.startCheck")).toHaveLength(3);
    const agreed = rows.filter((r) => r.action === "drift.makeAgree");
    expect(agreed.map((r) => [r.actorLabel, r.target])).toEqual([
      ["drifter@concord.test", `drift-check:${checkId}`],
      ["drifter@concord.test", `drift-check:${checkId}`],
    ]);
    expect(agreed[0]!.after).toMatchObject({ fixed: 2, pairs: [{ recordId: roofing, system: "cms", fields: ["description", "name"] }] });
    expect(agreed[1]!.after).toMatchObject({ pairs: [{ recordId: plumbing, system: "lead-centre", fields: ["name"] }] });
  });

  it("runs one check per entity at a time, refuses an unknown entity, and fails with the reason when a system cannot be read", async () => {
    const cms = h.samples.system("cms");
    cms.setFaults({ latencyMs: 400 });
    try {
      const slow = await admin.drift.startCheck({ entity: "industry" });
      expect(await codeOf(admin.drift.startCheck({ entity: "industry" }))).toBe("CONFLICT");
      expect((await finished(slow.id)).check.status).toBe("done");
    } finally {
      cms.setFaults({ latencyMs: 0 });
    }
    expect(await codeOf(admin.drift.startCheck({ entity: "spaceship" }))).toBe("NOT_FOUND");

    cms.setFaults({ errorRate: 1 });
    try {
      const failing = await admin.drift.startCheck({ entity: "industry" });
      const report = await finished(failing.id);
      expect(report.check.status).toBe("failed");
      expect(report.check.error).toMatch(/\S/);
      expect(report.check.finishedAt).not.toBeNull();
    } finally {
      cms.setFaults({ errorRate: 0 });
    }
    // A check only reads: the records are as they were.
    const rows = await h.engine.db.select({ data: records.data }).from(records).where(eq(records.entity, "industry"));
    expect(rows.map((r) => r.data.name).sort()).toEqual(["Carpentry", "Plumbing", "Roofing"]);
  });
});
