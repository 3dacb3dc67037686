// Runs that finish anywhere (issue #14), at the engine: a run is durable state committed page by page under a
// lease, continued by whichever process (tick, worker, request) takes it up after its lease runs out.
import { count, countDistinct, eq, isNotNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { records, runItems, runSeen, runs, type TRunRow } from "~/server/db/schema";
import { systemActor } from "~/server/services/actor";
import { cancelRun } from "~/server/services/runs/cancel-run";
import { continueRun } from "~/server/services/runs/continue-run";
import { continueRuns } from "~/server/services/runs/continue-runs";
import { createRun } from "~/server/services/runs/create-run";
import { getRun } from "~/server/services/runs/get-run";
import { FLEET_ORDER, syncFleet } from "~/server/services/fleet/sync-fleet";
import { claimRun, inLease, LeaseLost } from "~/server/services/runs/run-lease";
import { startHarness, type Harness } from "../helpers/harness";
import { waitFor } from "../helpers/worker-process";

const N = 120;
const PAGE = 20;
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: false });
  h.engine.runLeaseMs = 1_000;
  const dashboard = h.samples.system("dashboard");
  dashboard.setConfig({ webhooks: false });
  dashboard.seedSynthetic(N);
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

const row = async (id: string): Promise<TRunRow> => (await h.engine.db.select().from(runs).where(eq(runs.id, id)))[0]!;
const items = async (id: string) => {
  const [r] = await h.engine.db.select({ n: count(), distinct: countDistinct(runItems.externalId) }).from(runItems).where(eq(runItems.runId, id));
  return r!;
};
/** A tick with a tiny budget: a page or so, then it stops at the page boundary and lets the run go. */
const oneTick = (by: "tick" | "worker" = "tick") => continueRuns(h.engine, { by, deadline: Date.now() + 20, run: { pageSize: PAGE } });

describe("runs continued across invocations", () => {
  it("a full run read one page per tick, with a process dying holding it, ends with the counts of one uninterrupted run", async () => {
    const run = await createRun(h.engine, { entity: "industry", system: "dashboard", kind: "full", trigger: "admin", startedBy: "test" });
    await h.engine.db.update(runs).set({ createdAt: sql`now() - interval '1 minute'` }).where(eq(runs.id, run.id)); // past the queued grace
    expect(await oneTick()).toEqual([run.id]);
    expect(await row(run.id)).toMatchObject({ status: "running", leaseOwner: null, position: { stage: "list" } });
    const holder = async () => (await getRun({ db: h.engine.db, input: { id: run.id } })).holder;
    expect(await holder()).toEqual({ state: "waiting", until: null }); // runs.get: waiting for the next tick

    // A process takes the run up and dies without a word: nobody else may have it until its lease runs out.
    const dead = await claimRun(h.engine, run.id, "worker");
    expect(dead).not.toBeNull();
    expect((await holder())?.state).toBe("working");
    expect(await oneTick()).toEqual([]);
    await waitFor(async () => (await oneTick()).length === 1, 10_000, "the dead process's lease to run out");
    // Had it come back to life, what it read could not be committed any more.
    await expect(inLease(h.engine, dead!.lease, async () => "late page")).rejects.toThrow(LeaseLost);

    await waitFor(async () => (await oneTick(), (await row(run.id)).status !== "running"), 60_000, "the run to finish tick by tick");
    const done = await row(run.id);
    expect(done.status).toBe("succeeded");
    expect(done.counts).toEqual({ fetched: N, created: N, updated: 0, deleted: 0, unchanged: 0, echoes: 0, conflicts: 0, failed: 0, linked: 0 });
    expect(await items(run.id)).toEqual({ n: N, distinct: N });
    expect(done.continuations.length).toBeGreaterThanOrEqual(N / PAGE);
    expect(new Set(done.continuations.map((c) => c.by))).toEqual(new Set(["tick", "worker"]));
    const view = (await getRun({ db: h.engine.db, input: { id: run.id } })).run;
    expect(view.continuations).toHaveLength(done.continuations.length);
    expect(view.continuations[0]).toEqual({ by: "tick", at: expect.any(Date) as Date });
    expect(await h.engine.db.select().from(runSeen).where(eq(runSeen.runId, run.id))).toEqual([]);
  });

  it("infers deletes only once the whole listing has been read, however many ticks it took", async () => {
    const dashboard = h.samples.system("dashboard");
    const gone = dashboard.all<{ id: number }>().slice(0, 2);
    for (const d of gone) dashboard.remove(d.id);
    const run = await createRun(h.engine, { entity: "industry", system: "dashboard", kind: "full", trigger: "admin", startedBy: "test" });
    await h.engine.db.update(runs).set({ createdAt: sql`now() - interval '1 minute'` }).where(eq(runs.id, run.id));
    const deletedRecords = async () => (await h.engine.db.select({ n: count() }).from(records).where(isNotNull(records.deletedAt)))[0]!.n;
    await oneTick();
    expect((await row(run.id)).position?.stage).toBe("list");
    expect(await deletedRecords()).toBe(0); // a partial listing infers nothing
    await waitFor(async () => (await oneTick(), (await row(run.id)).status !== "running"), 60_000, "the run to finish tick by tick");
    expect(await row(run.id)).toMatchObject({ status: "succeeded", counts: { fetched: N - 2, deleted: 2, unchanged: N - 2 } });
    expect(await deletedRecords()).toBe(2);
  });

  it("ticks at once never run the same page twice", async () => {
    const cms = h.samples.system("cms");
    const run = await createRun(h.engine, { entity: "industry", system: "dashboard", kind: "full", trigger: "admin", startedBy: "test" });
    await h.engine.db.update(runs).set({ createdAt: sql`now() - interval '1 minute'` }).where(eq(runs.id, run.id));
    await waitFor(
      async () => {
        await Promise.all([oneTick(), oneTick(), oneTick(), continueRun(h.engine, run.id, { by: "request", deadline: Date.now() + 20, pageSize: PAGE })]);
        return (await row(run.id)).status !== "running";
      },
      60_000,
      "the run to finish under concurrent ticks",
    );
    const done = await row(run.id);
    expect(done.status).toBe("succeeded");
    expect(done.counts).toMatchObject({ fetched: N - 2, unchanged: N - 2, created: 0, updated: 0 });
    expect(await items(run.id)).toEqual({ n: N - 2, distinct: N - 2 });
    expect(cms).toBeDefined();
  });

  it("cancelling between invocations ends the run: no tick takes it up again", async () => {
    const run = await createRun(h.engine, { entity: "industry", system: "dashboard", kind: "full", trigger: "admin", startedBy: "test" });
    await h.engine.db.update(runs).set({ createdAt: sql`now() - interval '1 minute'` }).where(eq(runs.id, run.id));
    await oneTick();
    const read = ((await row(run.id)).position?.pages ?? 0) * PAGE;
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(N);
    await cancelRun({ engine: h.engine, actor: systemActor, input: { id: run.id } });
    expect(await oneTick()).toEqual([]);
    const done = await row(run.id);
    expect(done).toMatchObject({ status: "cancelled", counts: { fetched: read } });
    expect(await items(run.id)).toEqual({ n: read, distinct: read });
    expect(await h.engine.db.select().from(runSeen).where(eq(runSeen.runId, run.id))).toEqual([]);
  });

  it("a source that keeps failing is abandoned with the reason; a passing failure only pauses the run", async () => {
    const cms = h.samples.system("cms");
    const run = await createRun(h.engine, { entity: "industry", system: "cms", kind: "full", trigger: "admin", startedBy: "test" });
    await h.engine.db.update(runs).set({ createdAt: sql`now() - interval '1 minute'` }).where(eq(runs.id, run.id));
    cms.setFaults({ errorRate: 1 });
    try {
      await oneTick();
      const paused = await row(run.id);
      expect(paused).toMatchObject({ status: "running", leaseOwner: null, position: { failures: 1 } });
      expect(paused.position?.lastError).toBeTruthy();
      expect(paused.leaseUntil!.getTime()).toBeGreaterThan(Date.now()); // nobody takes it up before its pause is over
      expect((await getRun({ db: h.engine.db, input: { id: run.id } })).holder).toEqual({ state: "paused", until: paused.leaseUntil });
      expect(await oneTick()).toEqual([]);
      await waitFor(async () => (await oneTick(), (await row(run.id)).status === "failed"), 30_000, "the run to be abandoned");
    } finally {
      cms.setFaults({ errorRate: 0 });
    }
    expect((await row(run.id)).error).toMatch(/^Abandoned: reading cms failed 3 times in a row \(last: .+\)/);
  });

  it("a fleet sync started by a request on a serverless host goes on tick by tick, parents' runs before children's", async () => {
    h.samples.system("onboarding").seedSample();
    const before = h.engine.background;
    h.engine.background = { defer: (task) => void task(), budgetMs: 1 }; // after() with a budget spent at once
    let ids: string[];
    try {
      ids = (await syncFleet({ engine: h.engine, actor: systemActor, input: { scope: "fleet", kind: "full" } })).runs.map((r) => r.id);
    } finally {
      h.engine.background = before;
    }
    await waitFor(async () => (await oneTick(), (await Promise.all(ids.map(row))).every((r) => r.status !== "running" && r.status !== "queued")), 120_000, "the fleet runs to end");
    const done = await Promise.all(ids.map(row));
    expect(done.map((r) => [r.entity, r.status])).toEqual(FLEET_ORDER.map((e) => [e, "succeeded"]));
    expect(done[0]!.continuations[0]!.by).toBe("request");
    expect(done.some((r) => r.continuations.some((c) => c.by === "tick"))).toBe(true);
    for (let i = 1; i < done.length; i++) {
      // Each run was first taken up only after the one before it in the group had ended.
      expect(new Date(done[i]!.continuations[0]!.at).getTime()).toBeGreaterThanOrEqual(done[i - 1]!.finishedAt!.getTime());
    }
  });
});
