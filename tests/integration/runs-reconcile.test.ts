import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { records, runItems, runSeen, runs } from "~/server/db/schema";
import { systemActor } from "~/server/services/actor";
import { createRun } from "~/server/services/runs/create-run";
import { bindingFor } from "~/sync/config";
import { connectorFor } from "~/server/services/connections/connector-for";
import { getConnection } from "~/server/services/connections/get-connection";
import { decideHeldRun } from "~/server/services/runs/decide-held-run";
import { describeHeldDeletes, recreateRejectedDeletes } from "~/server/services/runs/held-deletes";
import { emptyCounts } from "~/server/services/runs/run-counts";
import { confirmMissing } from "~/server/services/runs/run-deletes";
import { executeRun } from "~/server/services/runs/execute-run";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.samples.system("dashboard").setConfig({ webhooks: false }); // pre-existing data: nothing announced it
  h.samples.system("dashboard").seedSynthetic(60);
  h.samples.system("dashboard").setConfig({ webhooks: true });
});
afterAll(async () => {
  await h?.stop();
});

const run = async (kind: "full" | "dry-run", system = "dashboard") => {
  const r = await createRun(h.engine, { entity: "industry", system, kind, trigger: "admin", startedBy: "test" });
  const done = await executeRun(h.engine, r.id, { pageSize: 25 });
  await h.settle({ timeoutMs: 60_000 });
  return done;
};

describe("full reconciliation", () => {
  it("a dry run returns the plan, per record and field, and writes nothing", async () => {
    const dry = await run("dry-run");
    expect(dry.status).toBe("succeeded");
    expect(dry.counts).toMatchObject({ fetched: 60, created: 60 });
    const entries = (dry.plan as { entries: { action: string; fields: Record<string, { before: unknown; after: unknown }> }[] }).entries;
    expect(entries).toHaveLength(60);
    expect(entries[0]!.action).toBe("create");
    expect(entries[0]!.fields.name).toMatchObject({ before: null });
    expect(await h.engine.db.select().from(records)).toHaveLength(0);
    expect(h.samples.system("cms").all()).toHaveLength(0);
  });

  it("a full run creates what is missing everywhere, with an outcome per item and its progress in percent", { timeout: 90_000 }, async () => {
    const percents: number[] = [];
    const off = h.engine.bus.on((e) => e.type === "run" && e.percent !== null && percents.push(e.percent));
    const full = await run("full");
    off();
    expect(percents.slice(0, 2)).toEqual([41, 83]); // 25 then 50 of the Dashboard's 60, as its listing reports the total
    expect(percents.at(-1)).toBe(100);
    expect(full.status).toBe("succeeded");
    expect(full.counts).toMatchObject({ fetched: 60, created: 60, failed: 0 });
    expect(h.samples.system("cms").all()).toHaveLength(60);
    expect(h.samples.system("lead-centre").all()).toHaveLength(60);
    expect(h.samples.system("dashboard").all().every((d) => d.cms_id)).toBe(true);
    expect(await h.engine.db.select().from(runItems).where(eq(runItems.runId, full.id))).toHaveLength(60);
  });

  it("a re-run with nothing changed writes nothing", async () => {
    const writes = (["dashboard", "cms", "lead-centre"] as const).map((k) => ({ ...h.samples.system(k).stats().writes }));
    const again = await run("full");
    expect(again.counts).toMatchObject({ fetched: 60, created: 0, updated: 0, unchanged: 60 });
    expect((["dashboard", "cms", "lead-centre"] as const).map((k) => h.samples.system(k).stats().writes)).toEqual(writes);
  });

  it("picks up a change whose webhook was lost", async () => {
    const cms = h.samples.system("cms");
    cms.setConfig({ webhooks: false });
    const doc = cms.all()[0]!;
    cms.update(doc.id, { description: "changed while webhooks were off" });
    cms.setConfig({ webhooks: true });
    const r = await run("full", "cms");
    expect(r.counts.updated).toBe(1);
    expect(h.samples.system("dashboard").all().find((d) => d.slug === doc.slug)!.description).toBe("changed while webhooks were off");
  });

  it("a run that would delete more than 10 % of the linked records stops and asks; approved, it deletes", async () => {
    const dashboard = h.samples.system("dashboard");
    dashboard.setConfig({ webhooks: false });
    for (const d of dashboard.all().slice(0, 10)) dashboard.remove(d.id); // 10 of 60: 16 %
    dashboard.setConfig({ webhooks: true });
    const held = await run("full");
    expect(held.status).toBe("awaiting-approval");
    // The ids the listing held were kept in the database while it ran, not in memory, and are gone now.
    expect(await h.engine.db.select().from(runSeen)).toEqual([]);
    expect(held.error).toMatch(/would delete 10 of 60 linked records/);
    expect(h.samples.system("cms").all()).toHaveLength(60); // nothing deleted yet
    const done = await decideHeldRun({ engine: h.engine, actor: systemActor, input: { runId: held.id, approve: true } });
    await h.settle();
    expect(done.status).toBe("succeeded");
    expect(h.samples.system("cms").all()).toHaveLength(50);
    const [row] = await h.engine.db.select().from(runs).where(eq(runs.id, held.id));
    expect(row!.counts.deleted).toBe(10);
  });

  it("held deletes name each record with the systems it is in; rejecting is a normal outcome and offers to re-create them", async () => {
    const dashboard = h.samples.system("dashboard");
    dashboard.setConfig({ webhooks: false });
    const gone = dashboard.all().slice(0, 6); // 6 of 50: 12 %
    for (const d of gone) dashboard.remove(d.id);
    dashboard.setConfig({ webhooks: true });
    const held = await run("full");
    expect(held.status).toBe("awaiting-approval");
    expect(held.error).toMatch(/approve or reject the deletes on this run's page/);
    const described = await describeHeldDeletes({ engine: h.engine, input: { runId: held.id } });
    expect(described.items.map((i) => i.name).sort()).toEqual(gone.map((d) => String(d.name)).sort());
    expect(described.items.every((i) => i.recordId && JSON.stringify(i.systems) === JSON.stringify(["cms", "lead-centre"]))).toBe(true);

    const rejected = await decideHeldRun({ engine: h.engine, actor: systemActor, input: { runId: held.id, approve: false } });
    expect([rejected.status, rejected.error]).toEqual(["succeeded", null]);
    expect((await describeHeldDeletes({ engine: h.engine, input: { runId: held.id } })).rejectedBy).toBe("concord");
    expect(h.samples.system("cms").all()).toHaveLength(50); // nothing deleted

    expect(await recreateRejectedDeletes({ engine: h.engine, actor: systemActor, input: { runId: held.id } })).toEqual({ recreated: 6 });
    await h.settle();
    expect(dashboard.all().map((d) => d.slug).sort()).toEqual(expect.arrayContaining(gone.map((d) => d.slug)));
    expect(dashboard.all()).toHaveLength(50);
    await expect(recreateRejectedDeletes({ engine: h.engine, actor: systemActor, input: { runId: held.id } })).rejects.toThrow(/Already re-created/);
    const again = await run("full");
    expect([again.status, again.counts.deleted, again.counts.created]).toEqual(["succeeded", 0, 0]);
  });

  it("a linked document a listing skipped (pages shifted under it) is read on its own, not deleted", async () => {
    const dashboard = h.samples.system("dashboard");
    const [kept, removed] = dashboard.all();
    dashboard.setConfig({ webhooks: false });
    dashboard.remove(removed!.id);
    dashboard.setConfig({ webhooks: true });
    const r = await createRun(h.engine, { entity: "industry", system: "dashboard", kind: "full", trigger: "admin", startedBy: "test" });
    const conn = await getConnection(h.engine, "dashboard");
    const counts = emptyCounts();
    const gone = await confirmMissing({
      engine: h.engine,
      run: r,
      connector: connectorFor(h.engine, conn),
      binding: bindingFor(h.engine.config, "industry", "dashboard")!,
      ids: [String(kept!.id), String(removed!.id)],
      counts,
      dry: false,
    });
    expect(gone).toEqual([String(removed!.id)]);
    expect(counts).toMatchObject({ fetched: 1, unchanged: 1 });
    await executeRun(h.engine, r.id);
    await h.settle();
  });

  it("a listing that fails part-way infers no deletes", async () => {
    const cms = h.samples.system("cms");
    const before = h.samples.system("dashboard").all().length;
    cms.setFaults({ errorRate: 1 });
    const failed = await run("full", "cms");
    cms.setFaults({ errorRate: 0 });
    expect(failed.status).toBe("failed");
    expect(h.samples.system("dashboard").all()).toHaveLength(before);
  });

  it("allows one run per (entity, system) at a time and says which is going", async () => {
    const first = await createRun(h.engine, { entity: "industry", system: "cms", kind: "full", trigger: "admin", startedBy: "test" });
    await expect(createRun(h.engine, { entity: "industry", system: "cms", kind: "full", trigger: "admin", startedBy: "test" })).rejects.toThrow(new RegExp(first.id));
    await executeRun(h.engine, first.id);
  });
});
