import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type DbHandle } from "~/server/db/client";
import { runs, schedules } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { createRun } from "~/server/services/runs/create-run";
import { executeRun } from "~/server/services/runs/execute-run";
import { ensureDefaultSchedules } from "~/server/services/schedules/ensure-default-schedules";
import { runTick } from "~/server/services/schedules/run-tick";
import { CATCH_UP_STARTED_BY, startCatchUp } from "~/server/services/schedules/start-catch-up";
import { callerFor, makeUser, sessionFor } from "../helpers/actors";
import { createTestEngine } from "../helpers/engine";
import { startHarness, type Harness } from "../helpers/harness";
import { waitFor } from "../helpers/worker-process";

let h: Harness;
/** A second process on the same database: its own connection pool on Postgres (PGlite is one process). */
let other: { engine: Engine; handle: DbHandle | null };
let admin: ReturnType<typeof callerFor>;
const SOURCES = ["industry:dashboard", "industry:cms", "company:onboarding", "vessel:onboarding", "equipment:onboarding", "user:onboarding"];
const pair = (entity: string, system: string) => and(eq(schedules.entity, entity), eq(schedules.system, system));
const scheduleOf = async (entity: string, system: string) => (await h.engine.db.select().from(schedules).where(pair(entity, system)))[0];
const dashboard = () => h.samples.system("dashboard");
const cms = () => h.samples.system("cms");

/** A URL where nothing listens: a sender's webhooks to it fail, are retried and dropped. */
async function deadUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  h = await startHarness();
  if (h.t.url) {
    const handle = await openDb({ databaseUrl: h.t.url, max: 3 });
    other = { engine: await createTestEngine({ ...handle, url: h.t.url, destroy: async () => {} }, { overrides: h.engine.overrides }), handle };
  } else other = { engine: await createTestEngine(h.t, { overrides: h.engine.overrides }), handle: null };
  admin = callerFor(h.engine.db, sessionFor(await makeUser(h.engine.db, "catchup@concord.test", "admin")), h.engine);
}, 120_000);
afterAll(async () => {
  await other?.handle?.close();
  await h?.stop();
});

describe("default catch-up schedules", () => {
  it("exist after start for source bindings only, created once when two processes start together", async () => {
    const [a, b] = await Promise.all([ensureDefaultSchedules(h.engine), ensureDefaultSchedules(other.engine)]);
    expect([...a.created, ...b.created].map((p) => `${p.entity}:${p.system}`).sort()).toEqual([...SOURCES].sort());
    const rows = await h.engine.db.select().from(schedules);
    expect(rows.map((r) => `${r.entity}:${r.system}`).sort()).toEqual([...SOURCES].sort()); // none for the Lead Centre or the Maintenance Portal
    for (const r of rows) expect(r).toMatchObject({ cron: "*/5 * * * *", timezone: "UTC", kind: "incremental", enabled: true });
    expect(rows.every((r) => r.nextRunAt && r.nextRunAt.getTime() > Date.now() && r.nextRunAt.getTime() - Date.now() <= 5 * 60_000)).toBe(true);

    const listed = await admin.schedules.list();
    expect(listed.filter((s) => s.isDefault).map((s) => `${s.entity}:${s.system}`).sort()).toEqual([...SOURCES].sort());
    expect(listed.find((s) => s.system === "lead-centre")).toMatchObject({ cron: null, isDefault: false, enabled: false });
    expect((await ensureDefaultSchedules(h.engine)).created).toEqual([]); // a later start changes nothing
  });

  it("an admin's edit, disable or removal survives later starts", async () => {
    const edited = await admin.schedules.update({ entity: "industry", system: "cms", cron: "*/15 * * * *" });
    expect(edited).toMatchObject({ cron: "*/15 * * * *", enabled: true, isDefault: false });
    await admin.schedules.update({ entity: "vessel", system: "onboarding", enabled: false });
    await h.engine.db.delete(schedules).where(pair("user", "onboarding")); // removed by an admin
    await Promise.all([ensureDefaultSchedules(h.engine), ensureDefaultSchedules(other.engine)]);
    expect(await scheduleOf("industry", "cms")).toMatchObject({ cron: "*/15 * * * *", enabled: true });
    expect(await scheduleOf("vessel", "onboarding")).toMatchObject({ cron: "*/5 * * * *", enabled: false, nextRunAt: null });
    expect(await scheduleOf("user", "onboarding")).toBeUndefined();
    const listed = await admin.schedules.list();
    expect(listed.find((s) => s.entity === "vessel" && s.system === "onboarding")!.isDefault).toBe(false);
    expect(listed.find((s) => s.entity === "industry" && s.system === "dashboard")!.isDefault).toBe(true);
  });

  it("a due default schedule of a pair never read completely starts nothing, and says why", async () => {
    await h.engine.db.update(schedules).set({ nextRunAt: new Date(Date.now() - 1000) }).where(pair("company", "onboarding"));
    const summary = await runTick({ engine: h.engine, budgetMs: 10_000, drain: false });
    expect(summary.started).toEqual([]);
    expect(summary.skipped).toEqual([{ entity: "company", system: "onboarding", reason: expect.stringMatching(/^never read completely/) as string }]);
    expect(await h.engine.db.select().from(runs).where(eq(runs.system, "onboarding"))).toHaveLength(0);
  });
});

describe("a start after downtime", () => {
  it("catches up once when two processes start together: what the senders dropped arrives without a manual run", async () => {
    // Concord up: the Dashboard's industries read once (the pair's cursor) and delivered to the CMS.
    dashboard().setConfig({ webhooks: false });
    dashboard().seedSynthetic(5);
    dashboard().setConfig({ webhooks: true });
    const first = await createRun(h.engine, { entity: "industry", system: "dashboard", kind: "full", trigger: "admin", startedBy: "test" });
    expect((await executeRun(h.engine, first.id)).status).toBe("succeeded");
    await h.settle({ timeoutMs: 60_000 });
    expect(cms().all()).toHaveLength(5);

    // Concord down: the Dashboard's webhooks fail, are retried three times and dropped.
    const concordUrl = dashboard().config().concordUrl;
    dashboard().setConfig({ concordUrl: await deadUrl() });
    for (let i = 0; i < 7; i++) dashboard().create({ name: `Made while down ${i}`, slug: `made-while-down-${i}` });
    const renamed = dashboard().all()[0]!;
    dashboard().update(renamed.id as number, { name: "Renamed while down" });
    await dashboard().webhooksIdle();
    expect(dashboard().stats().webhooks.failed).toBeGreaterThanOrEqual(8);
    dashboard().setConfig({ concordUrl });

    // Two processes start at once: one catch-up run between them; a pair never read completely is skipped.
    const [a, b] = await Promise.all([startCatchUp(h.engine), startCatchUp(other.engine)]);
    expect([...a.started, ...b.started].map((s) => `${s.entity}:${s.system}`)).toEqual(["industry:dashboard"]);
    const skipped = (entity: string, system: string) => [...a.skipped, ...b.skipped].filter((s) => s.entity === entity && s.system === system).map((s) => s.reason);
    expect(skipped("company", "onboarding")[0]).toMatch(/^never read completely/);
    expect(skipped("vessel", "onboarding")[0]).toBe("its schedule is disabled"); // the admin turned it off above
    expect(skipped("user", "onboarding")[0]).toBe("it has no schedule"); // the admin removed it above
    expect(skipped("industry", "dashboard").length).toBeLessThanOrEqual(1); // the process that lost the claim
    await Promise.all([a.done, b.done]);
    const caughtUp = await h.engine.db.select().from(runs).where(and(eq(runs.system, "dashboard"), eq(runs.startedBy, CATCH_UP_STARTED_BY)));
    expect(caughtUp).toHaveLength(1);
    expect(caughtUp[0]).toMatchObject({ kind: "incremental", trigger: "schedule", status: "succeeded" });
    expect((await scheduleOf("industry", "dashboard"))!.lastRunId).toBe(caughtUp[0]!.id);

    await waitFor(() => cms().all().length === 12 && cms().all().some((d) => d.name === "Renamed while down"), 30_000, "the dropped changes to reach the CMS");
    expect(cms().all().filter((d) => String(d.slug).startsWith("made-while-down-"))).toHaveLength(7);

    // A third process starting a moment later does not read it again.
    const late = await startCatchUp(other.engine);
    expect(late.started).toEqual([]);
    await h.settle({ timeoutMs: 60_000 });
  }, 120_000);

  it("a process shutting down cancels its catch-up run still reading: the pair is free for the next start at once", async () => {
    dashboard().setFaults({ latencyMs: 300 });
    try {
      const r = await startCatchUp(h.engine, { onceWithinMs: 0, run: { pageSize: 2, overlapMs: 10 * 60_000 } });
      expect(r.started.map((s) => s.system)).toEqual(["dashboard"]);
      await r.stop();
      const [run] = await h.engine.db.select().from(runs).where(eq(runs.id, r.started[0]!.runId));
      expect(run).toMatchObject({ status: "cancelled" });
      expect(run!.counts.fetched).toBeLessThan(12);
      const again = await startCatchUp(h.engine, { onceWithinMs: 0 }); // the pair is free at once, not held until reaped
      expect(again.started.map((s) => s.system)).toEqual(["dashboard"]);
      dashboard().setFaults({ latencyMs: 0 });
      await again.done;
      expect((await h.engine.db.select().from(runs).where(eq(runs.id, again.started[0]!.runId)))[0]).toMatchObject({ status: "succeeded" });
    } finally {
      dashboard().setFaults({ latencyMs: 0 });
    }
  }, 60_000);
});
