import { TRPCError } from "@trpc/server";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SyncError } from "~/sync/errors";
import { auditLog, runItems, runs, schedules } from "~/server/db/schema";
import { cancelRun } from "~/server/services/runs/cancel-run";
import { createRun } from "~/server/services/runs/create-run";
import { emptyCounts } from "~/server/services/runs/run-counts";
import { systemActor } from "~/server/services/actor";
import { runTick } from "~/server/services/schedules/run-tick";
import { callerFor, makeUser, sessionFor } from "../helpers/actors";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
let admin: ReturnType<typeof callerFor>;
const pair = (system: string) => and(eq(schedules.entity, "industry"), eq(schedules.system, system));
const makeDue = (system: string, ago: number) => h.engine.db.update(schedules).set({ nextRunAt: new Date(Date.now() - ago) }).where(pair(system));
const scheduleOf = async (system: string) => (await h.engine.db.select().from(schedules).where(pair(system)))[0]!;
const scheduledRuns = (system: string) => h.engine.db.select().from(runs).where(and(eq(runs.system, system), eq(runs.trigger, "schedule")));
// A tick given its clock: the next times it computes are then exact, whatever boundary the wall clock crosses meanwhile.
const tick = (now?: Date) => runTick({ engine: h.engine, budgetMs: 30_000, drain: false, now });

beforeAll(async () => {
  h = await startHarness();
  h.samples.system("dashboard").setConfig({ webhooks: false });
  h.samples.system("dashboard").seedSynthetic(10);
  h.samples.system("dashboard").setConfig({ webhooks: true });
  admin = callerFor(h.engine.db, sessionFor(await makeUser(h.engine.db, "scheduler@concord.test", "admin")), h.engine);
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

describe("schedules", () => {
  it("lists every binding, explains the expression and shows the next five times", async () => {
    const listed = await admin.schedules.list();
    expect(listed).toHaveLength(h.engine.config.bindings.length);
    expect(listed.filter((s) => s.entity === "industry").map((s) => [s.system, s.cron, s.enabled])).toEqual([
      ["dashboard", null, false],
      ["cms", null, false],
      ["lead-centre", null, false],
    ]);
    // The upcoming times are after the moment of saving, not after the moment of asserting: a quarter hour may
    // begin in between, and then the first of them is already past.
    const before = Date.now();
    const saved = await admin.schedules.update({ entity: "industry", system: "dashboard", cron: "*/15 * * * *", timezone: "Europe/London", enabled: true });
    expect(saved).toMatchObject({ cron: "*/15 * * * *", explanation: "Every 15 minutes", kind: "incremental", enabled: true, timezone: "Europe/London" });
    expect(saved.upcoming).toHaveLength(5);
    expect(saved.upcoming.every((d, i) => d.getTime() > before && d.getUTCMinutes() % 15 === 0 && (i === 0 || d > saved.upcoming[i - 1]!))).toBe(true);
    expect(saved.nextRunAt).toEqual(saved.upcoming[0]);
  });

  it("edits are audited; an invalid expression is refused naming cron with the parser's words", async () => {
    await admin.schedules.update({ entity: "industry", system: "dashboard", cron: "0 3 * * 1-5" });
    const [row] = await h.engine.db.select().from(auditLog).where(eq(auditLog.action, "schedules.update")).orderBy(sql`${auditLog.id} desc`).limit(1);
    expect(row).toMatchObject({ actorLabel: "scheduler@concord.test", target: "schedule:industry:dashboard" });
    expect(row!.before).toMatchObject({ cron: "*/15 * * * *" });
    expect(row!.after).toMatchObject({ cron: "0 3 * * 1-5", enabled: true });
    const bad = await admin.schedules.update({ entity: "industry", system: "dashboard", cron: "61 * * * *" }).catch((e: unknown) => e);
    expect((bad as TRPCError).code).toBe("BAD_REQUEST");
    expect((bad as TRPCError).message).toMatch(/^cron: .*61/);
    expect(((bad as TRPCError).cause as SyncError).field).toBe("cron");
    const tz = await admin.schedules.update({ entity: "industry", system: "dashboard", timezone: "Mars/Olympus" }).catch((e: unknown) => e);
    expect(((tz as TRPCError).cause as SyncError).field).toBe("timezone");
    expect((await scheduleOf("dashboard")).cron).toBe("0 3 * * 1-5");
  });

  it("two ticks at once start a due schedule once", async () => {
    await makeDue("dashboard", 1000);
    const at = new Date();
    const [a, b] = await Promise.all([tick(at), tick(at)]);
    expect(a.started.length + b.started.length).toBe(1);
    const started = await scheduledRuns("dashboard");
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ kind: "incremental", status: "succeeded", counts: { fetched: 10, created: 10 } });
    const s = await scheduleOf("dashboard");
    expect(s.lastRunId).toBe(started[0]!.id);
    expect(s.nextRunAt!.getTime()).toBeGreaterThan(at.getTime());
    await h.settle({ timeoutMs: 60_000 });
  }, 120_000);

  it("a late tick catches up once, not once per missed period", async () => {
    await admin.schedules.update({ entity: "industry", system: "dashboard", cron: "*/5 * * * *" });
    await makeDue("dashboard", 3600_000); // twelve periods missed
    // Both ticks at the same instant: with the wall clock, a five-minute boundary passing during the first tick's
    // run made the second one due again, and `next` could be past by the time it was compared.
    const at = new Date();
    expect((await tick(at)).started).toHaveLength(1);
    expect((await tick(at)).started).toHaveLength(0);
    expect(await scheduledRuns("dashboard")).toHaveLength(2);
    const next = (await scheduleOf("dashboard")).nextRunAt!.getTime();
    expect(next).toBeGreaterThan(at.getTime());
    expect(next - at.getTime()).toBeLessThanOrEqual(5 * 60_000);
  }, 120_000);

  it("skips (and says so) a pair whose run is going; a disabled schedule never runs", async () => {
    // The dashboard's */5 schedule above falls due again within five minutes: off, so neither this tick nor the
    // next test's (on the wall clock) starts it when that boundary passes while they run.
    await h.engine.db.update(schedules).set({ enabled: false }).where(pair("dashboard"));
    await admin.schedules.update({ entity: "industry", system: "cms", cron: "* * * * *", kind: "full", enabled: true });
    const going = await createRun(h.engine, { entity: "industry", system: "cms", kind: "full", trigger: "admin", startedBy: "test" });
    await makeDue("cms", 1000);
    await admin.schedules.update({ entity: "industry", system: "lead-centre", cron: "* * * * *", enabled: false });
    await h.engine.db.update(schedules).set({ nextRunAt: new Date(Date.now() - 1000) }).where(pair("lead-centre"));
    const summary = await tick();
    expect(summary.started).toEqual([]);
    expect(summary.skipped).toEqual([{ entity: "industry", system: "cms", reason: expect.stringContaining(going.id) as string }]);
    expect(await scheduledRuns("lead-centre")).toHaveLength(0);
    await cancelRun({ engine: h.engine, actor: systemActor, input: { id: going.id } });
  });

  it("prunes finished runs older than the history window, with their items; continues a run whose process stopped; fails an abandoned plan application", async () => {
    const old = new Date(Date.now() - 40 * 86_400_000);
    const [gone] = await h.engine.db.insert(runs).values({ entity: "industry", system: "cms", kind: "full", trigger: "admin", status: "succeeded", counts: emptyCounts(), createdAt: old, finishedAt: old }).returning();
    await h.engine.db.insert(runItems).values([{ runId: gone!.id, outcome: "created" }, { runId: gone!.id, outcome: "unchanged" }]);
    const [held] = await h.engine.db.insert(runs).values({ entity: "industry", system: "lead-centre", kind: "full", trigger: "admin", status: "awaiting-approval", counts: emptyCounts(), createdAt: old }).returning();
    const stale = new Date(Date.now() - 20 * 60_000);
    const [abandoned] = await h.engine.db
      .insert(runs)
      .values({ entity: "industry", system: "lead-centre", kind: "selective", trigger: "admin", status: "running", counts: emptyCounts(), createdAt: stale, startedAt: stale, options: { heartbeatAt: stale.toISOString(), appliesPlanOf: gone!.id } })
      .returning();
    // A run whose process stopped is not failed any more: the tick takes it up where it was.
    const [orphan] = await h.engine.db
      .insert(runs)
      .values({ entity: "industry", system: "cms", kind: "full", trigger: "admin", status: "running", counts: emptyCounts(), createdAt: stale, startedAt: stale, options: { heartbeatAt: stale.toISOString() } })
      .returning();
    const summary = await runTick({ engine: h.engine, budgetMs: 10_000, drain: false, historyDays: 30 });
    expect(summary.pruned).toEqual({ runs: 1, items: 2 });
    expect(summary.reaped).toBe(1);
    expect(summary.continued).toEqual([orphan!.id]);
    const continued = (await h.engine.db.select().from(runs).where(eq(runs.id, orphan!.id)))[0]!;
    expect(continued.continuations.map((c) => c.by)).toEqual(["tick"]);
    expect(continued.error ?? "").not.toMatch(/Abandoned/);
    expect(await h.engine.db.select().from(runs).where(eq(runs.id, gone!.id))).toHaveLength(0);
    expect(await h.engine.db.select().from(runItems).where(eq(runItems.runId, gone!.id))).toHaveLength(0);
    expect((await h.engine.db.select().from(runs).where(eq(runs.id, held!.id)))[0]!.status).toBe("awaiting-approval");
    expect((await h.engine.db.select().from(runs).where(eq(runs.id, abandoned!.id)))[0]).toMatchObject({ status: "failed", error: expect.stringMatching(/^Abandoned/) as string });
    expect(await scheduledRuns("dashboard")).toHaveLength(2); // recent history kept
  });
});
