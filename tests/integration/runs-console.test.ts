import { TRPCError } from "@trpc/server";
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, records, runItems, runs } from "~/server/db/schema";
import { createRun } from "~/server/services/runs/create-run";
import { executeRun } from "~/server/services/runs/execute-run";
import type { TPlanEntry } from "~/server/services/runs/plan-page";
import { callerFor, makeUser, sessionFor } from "../helpers/actors";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
let admin: ReturnType<typeof callerFor>;
let viewer: ReturnType<typeof callerFor>;
const dashboard = () => h.samples.system("dashboard");
const cms = () => h.samples.system("cms");
const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof TRPCError ? e.code : String(e)));
/** Changes the Dashboard without telling Concord: only a run can see them. */
const quietly = (fn: () => void) => {
  dashboard().setConfig({ webhooks: false });
  fn();
  dashboard().setConfig({ webhooks: true });
};
/** The Dashboard's industries in id order (its listing moves a document to the end when it changes). */
const docs = () => [...dashboard().all()].sort((x, y) => Number(x.id) - Number(y.id));
const inCms = (slug: string) => cms().all().find((d) => d.slug === slug)!;
const inDashboard = (slug: string) => dashboard().all().find((d) => d.slug === slug)!;

/** Waits for a run started in the background to end, then for its deliveries. */
async function ended(runId: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [run] = await h.t.db.select().from(runs).where(eq(runs.id, runId));
    if (run && !["queued", "running"].includes(run.status)) {
      await h.settle({ timeoutMs: 60_000 });
      return { run, items: await h.t.db.select().from(runItems).where(eq(runItems.runId, runId)) };
    }
    if (Date.now() > deadline) throw new Error(`run ${runId} did not end`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
async function recordData(slug: string) {
  const [r] = await h.t.db.select().from(records).where(and(eq(records.entity, "industry"), eq(records.naturalKey, slug)));
  return r!.data;
}

beforeAll(async () => {
  h = await startHarness();
  admin = callerFor(h.t.db, sessionFor(await makeUser(h.t.db, "runs-console-admin@concord.test", "admin")), h.engine);
  viewer = callerFor(h.t.db, sessionFor(await makeUser(h.t.db, "runs-console-viewer@concord.test", "viewer")), h.engine);
  quietly(() => dashboard().seedSynthetic(12));
  const r = await createRun(h.engine, { entity: "industry", system: "dashboard", kind: "full", trigger: "admin", startedBy: "test" });
  expect((await executeRun(h.engine, r.id)).counts.created).toBe(12);
  await h.settle({ timeoutMs: 60_000 });
}, 180_000);
afterAll(async () => {
  await h?.stop();
});

describe("a dry run's plan, applied for the chosen records only", () => {
  it("shows the diff per record and field; apply selected applies exactly that record as planned and leaves the others", async () => {
    const [a, b] = docs().slice(0, 2);
    quietly(() => {
      dashboard().update(a!.id, { description: "planned for a" });
      dashboard().update(b!.id, { description: "planned for b" });
    });
    const dry = await admin.runs.trigger({ entity: "industry", system: "dashboard", kind: "dry-run" });
    await ended(dry.id);
    const plan = (await viewer.runs.get({ id: dry.id })).plan as { entries: TPlanEntry[] };
    expect(plan.entries.map((e) => [e.externalId, e.action, e.fields]).sort()).toEqual([
      [String(a!.id), "update", { description: { before: a!.description, after: "planned for a" } }],
      [String(b!.id), "update", { description: { before: b!.description, after: "planned for b" } }],
    ]);

    expect(await codeOf(viewer.runs.applyPlan({ runId: dry.id, externalIds: [String(a!.id)] }))).toBe("FORBIDDEN");
    expect(await codeOf(admin.runs.applyPlan({ runId: dry.id, externalIds: ["999999"] }))).toBe("BAD_REQUEST");
    expect(await codeOf(admin.runs.applyPlan({ runId: dry.id }))).toBe("BAD_REQUEST");
    const apply = await admin.runs.applyPlan({ runId: dry.id, externalIds: [String(a!.id)] });
    expect(apply).toMatchObject({ kind: "selective", entity: "industry", system: "dashboard", options: { appliesPlanOf: dry.id } });
    const { run, items } = await ended(apply.id);
    expect(run.status).toBe("succeeded");
    expect(run.counts).toMatchObject({ fetched: 1, updated: 1, failed: 0 });
    expect(items.map((i) => [i.externalId, i.outcome])).toEqual([[String(a!.id), "applied"]]);

    // The applied result is what the plan showed, in Concord and in the CMS; b is untouched everywhere.
    expect((await recordData(a!.slug)).description).toBe("planned for a");
    expect(inCms(a!.slug).description).toBe("planned for a");
    expect((await recordData(b!.slug)).description).toBe(b!.description);
    expect(inCms(b!.slug).description).toBe(b!.description);
    expect(await viewer.runs.planApplications({ runId: dry.id })).toMatchObject({ runs: [{ id: apply.id }], applied: [String(a!.id)] });
    const [audit] = await h.t.db.select().from(auditLog).where(eq(auditLog.action, "runs.applyPlan")).orderBy(desc(auditLog.id)).limit(1);
    expect(audit).toMatchObject({ target: `run:${dry.id}`, actorLabel: "runs-console-admin@concord.test", after: { applyRunId: apply.id, count: 1, externalIds: [String(a!.id)] } });
  }, 120_000);

  it("never applies what the plan did not show: a record changed since the dry run is reported and left alone", async () => {
    const [, b, c, d] = docs();
    quietly(() => {
      dashboard().update(c!.id, { name: "Planned name for c" });
      dashboard().update(d!.id, { name: "Planned name for d" });
    });
    const dry = await admin.runs.trigger({ entity: "industry", system: "dashboard", kind: "dry-run" });
    await ended(dry.id);
    quietly(() => dashboard().update(d!.id, { name: "Changed again after the dry run" }));

    // The plan holds b (still not applied from the test before), c and d.
    const planned = ((await viewer.runs.get({ id: dry.id })).plan as { entries: TPlanEntry[] }).entries.map((e) => e.externalId);
    expect(planned.sort()).toEqual([b, c, d].map((x) => String(x!.id)).sort());
    const apply = await admin.runs.applyPlan({ runId: dry.id, all: true });
    const { run, items } = await ended(apply.id);
    expect(run.counts).toMatchObject({ updated: 2, failed: 1 });
    const byId = new Map(items.map((i) => [i.externalId, i]));
    expect(byId.get(String(b!.id))!.outcome).toBe("applied");
    expect(byId.get(String(c!.id))!.outcome).toBe("applied");
    expect(byId.get(String(d!.id))).toMatchObject({ outcome: "failed" });
    expect(byId.get(String(d!.id))!.error).toMatch(/^Changed since the dry run: name would now go .*"Changed again after the dry run".*the plan showed .*"Planned name for d".*Nothing applied/);
    expect(inCms(c!.slug).name).toBe("Planned name for c");
    expect((await recordData(d!.slug)).name).toBe(d!.name);
    expect(inCms(d!.slug).name).toBe(d!.name);

    // Only a dry run that succeeded has a plan to apply.
    expect(await codeOf(admin.runs.applyPlan({ runId: apply.id, all: true }))).toBe("BAD_REQUEST");
  }, 120_000);
});

describe("retry failed items", () => {
  it("starts a selective run over exactly the failed items' documents; admins only, audited", async () => {
    const [e, f] = docs().slice(4, 6);
    // Longer than the canonical description allows: the run fails these two items.
    quietly(() => [e!, f!].forEach((x) => dashboard().update(x.id, { description: "x".repeat(6000) })));
    const full = await admin.runs.trigger({ entity: "industry", system: "dashboard", kind: "full" });
    const first = await ended(full.id);
    expect(first.run.counts.failed).toBe(2);
    expect((await viewer.runs.items({ id: full.id, only: "failed" })).items.map((i) => i.externalId).sort()).toEqual([String(e!.id), String(f!.id)].sort());
    expect(await viewer.runs.items({ id: full.id, only: "failed", pageSize: 1 })).toMatchObject({ total: 2, failed: 2, all: first.items.length });

    quietly(() => [e!, f!].forEach((x) => dashboard().update(x.id, { description: `fixed ${x.slug}` })));
    expect(await codeOf(viewer.runs.retryFailed({ runId: full.id }))).toBe("FORBIDDEN");
    const retry = await admin.runs.retryFailed({ runId: full.id });
    expect(retry).toMatchObject({ externalIds: 2, recordIds: 0, leftOut: 0, run: { kind: "selective", system: "dashboard" } });
    expect([...((retry.run.options?.externalIds as string[]) ?? [])].sort()).toEqual([String(e!.id), String(f!.id)].sort());
    const second = await ended(retry.run.id);
    expect(second.run.counts).toMatchObject({ fetched: 2, updated: 2, failed: 0 });
    expect(inCms(e!.slug).description).toBe(`fixed ${e!.slug}`);
    expect(inDashboard(f!.slug).description).toBe(`fixed ${f!.slug}`);
    expect(inCms(f!.slug).description).toBe(`fixed ${f!.slug}`);
    const [audit] = await h.t.db.select().from(auditLog).where(and(eq(auditLog.action, "runs.retryFailed"), eq(auditLog.target, `run:${full.id}`)));
    expect(audit).toMatchObject({ actorLabel: "runs-console-admin@concord.test", after: { retryRunId: retry.run.id, externalIds: 2 } });

    expect(await codeOf(admin.runs.retryFailed({ runId: retry.run.id }))).toBe("CONFLICT"); // nothing failed
    const dry = await admin.runs.trigger({ entity: "industry", system: "cms", kind: "dry-run" });
    await ended(dry.id);
    expect(await codeOf(admin.runs.retryFailed({ runId: dry.id }))).toBe("BAD_REQUEST");
  }, 180_000);
});

describe("run history filters", () => {
  it("filters by entity, system, kind, status and creation date on the server, and paginates", async () => {
    const old = await createRun(h.engine, { entity: "industry", system: "lead-centre", kind: "full", trigger: "admin", startedBy: "test" });
    await h.t.db.update(runs).set({ status: "failed", createdAt: new Date("2021-03-10T10:00:00Z") }).where(eq(runs.id, old.id));
    const march = { from: new Date("2021-03-01T00:00:00Z"), to: new Date("2021-03-31T23:59:59.999Z") };

    expect((await viewer.runs.list(march)).items.map((r) => r.id)).toEqual([old.id]);
    expect((await viewer.runs.list({ system: "lead-centre", status: "failed" })).items.map((r) => r.id)).toEqual([old.id]);
    expect((await viewer.runs.list({ to: new Date("2021-02-28T00:00:00Z") })).total).toBe(0);
    const all = await viewer.runs.list({ entity: "industry", pageSize: 200 });
    const dryRuns = await viewer.runs.list({ kind: "dry-run", system: "dashboard" });
    expect(dryRuns.items.map((r) => r.id).sort()).toEqual(all.items.filter((r) => r.kind === "dry-run" && r.system === "dashboard").map((r) => r.id).sort());
    expect(dryRuns.total).toBe(2);
    const recent = await viewer.runs.list({ from: new Date("2022-01-01T00:00:00Z"), pageSize: 2, page: 2 });
    expect(recent.total).toBe(all.total - 1);
    expect(recent.items.map((r) => r.id)).toEqual(all.items.filter((r) => r.id !== old.id).slice(2, 4).map((r) => r.id));
    const bad = await viewer.runs.list({ from: march.to, to: march.from }).catch((e: unknown) => e);
    expect((bad as TRPCError).code).toBe("BAD_REQUEST");
  }, 60_000);
});
