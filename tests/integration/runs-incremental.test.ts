import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { records, runItems, runs, syncCursors } from "~/server/db/schema";
import { createRun } from "~/server/services/runs/create-run";
import { executeRun, type ExecuteRunOptions } from "~/server/services/runs/execute-run";
import type { TWindow } from "~/server/services/runs/incremental-window";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
const dashboard = () => h.samples.system("dashboard");
const cms = () => h.samples.system("cms");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quietly = (fn: () => void) => {
  dashboard().setConfig({ webhooks: false });
  cms().setConfig({ webhooks: false });
  fn(); // changes no webhook announces: only a run can see them
  dashboard().setConfig({ webhooks: true });
  cms().setConfig({ webhooks: true });
};
const run = async (kind: "full" | "incremental", system: "dashboard" | "cms" = "dashboard", opts: ExecuteRunOptions = {}) => {
  const r = await createRun(h.engine, { entity: "industry", system, kind, trigger: "admin", startedBy: "test" });
  const done = await executeRun(h.engine, r.id, { pageSize: 10, overlapMs: 50, ...opts });
  await h.settle({ timeoutMs: 60_000 });
  return done;
};
const cursorOf = async (system: string) =>
  (await h.engine.db.select().from(syncCursors).where(and(eq(syncCursors.entity, "industry"), eq(syncCursors.system, system))))[0]?.since ?? null;

beforeAll(async () => {
  h = await startHarness();
  quietly(() => dashboard().seedSynthetic(40));
  const full = await run("full");
  expect(full.counts).toMatchObject({ fetched: 40, created: 40, failed: 0 });
  const cursor = await cursorOf("dashboard"); // a complete full read moves the cursor to its start
  expect(cursor!.getTime()).toBeGreaterThanOrEqual(full.createdAt.getTime() - 1000);
  expect(cursor!.getTime()).toBeLessThanOrEqual(full.finishedAt!.getTime());
}, 180_000);
afterAll(async () => {
  await h?.stop();
});

describe("incremental runs", () => {
  it("the first one with no cursor reads everything once and infers no deletes", async () => {
    const gone = cms().all()[0]!;
    quietly(() => cms().remove(gone.id));
    const first = await run("incremental", "cms");
    expect(first.status).toBe("succeeded");
    expect(first.counts).toMatchObject({ fetched: 39, unchanged: 39, deleted: 0, created: 0, updated: 0 });
    expect((first.options as { window: TWindow }).window).toMatchObject({ cursor: null, from: null, overlapMs: 50 });
    expect(await cursorOf("cms")).toEqual(new Date((first.options as { window: TWindow }).window.startedAt));
    expect(dashboard().all().some((d) => d.slug === gone.slug)).toBe(true);
  }, 120_000);

  it("reads only what changed since its cursor, and applies it everywhere", async () => {
    await run("incremental"); // takes in the cms_id write-backs that followed the full run
    await sleep(100);
    const changed = dashboard().all().filter((d) => cms().all().some((c) => c.slug === d.slug)).slice(5, 8);
    quietly(() => changed.forEach((d) => dashboard().update(d.id, { description: `edited ${d.slug}` })));
    const inc = await run("incremental");
    expect(inc.counts).toMatchObject({ fetched: 3, updated: 3, created: 0, deleted: 0, failed: 0 });
    expect(await h.engine.db.select().from(runItems).where(eq(runItems.runId, inc.id))).toHaveLength(3);
    for (const d of changed) {
      expect(cms().all().find((c) => c.slug === d.slug)!.description).toBe(`edited ${d.slug}`);
      expect(h.samples.system("lead-centre").all().find((l) => l.slug === d.slug)!.summary).toBe(`edited ${d.slug}`);
    }
    const window = (inc.options as { window: TWindow }).window;
    expect(new Date(window.from!).getTime()).toBe(new Date(window.cursor!).getTime() - 50);
  }, 120_000);

  it("a change made while a run is going is picked up by the next run (cursor = start, not end)", async () => {
    const target = dashboard().all().find((d) => cms().all().some((c) => c.slug === d.slug))!;
    const realFetch = h.engine.fetch;
    const realHttp = h.engine.http;
    h.engine.http = undefined; // connectors use the fetch below only without the pooled client
    let changedAt: number | null = null;
    h.engine.fetch = async (input, init) => {
      const res = await realFetch(input, init);
      const url = String(input instanceof Request ? input.url : input);
      if (changedAt === null && url.includes("/dashboard/api/industries?") && (init?.method ?? "GET") === "GET") {
        const body = (await res.clone().json()) as { meta: { has_more: boolean } };
        if (!body.meta.has_more) {
          // The last page has been answered: this change comes too late for the run that is going.
          quietly(() => dashboard().update(target.id, { description: "changed during the run" }));
          changedAt = Date.now();
        }
      }
      return res;
    };
    let going;
    try {
      going = await run("incremental", "dashboard", { pageSize: 2 });
    } finally {
      h.engine.fetch = realFetch;
      h.engine.http = realHttp;
    }
    expect(changedAt).not.toBeNull();
    expect(going.finishedAt!.getTime()).toBeGreaterThanOrEqual(changedAt! - 5); // a cursor taken at the end would skip it
    expect(cms().all().find((c) => c.slug === target.slug)!.description).not.toBe("changed during the run");
    const next = await run("incremental");
    expect(next.counts).toMatchObject({ fetched: 1, updated: 1 });
    expect(cms().all().find((c) => c.slug === target.slug)!.description).toBe("changed during the run");
  }, 120_000);

  it("what the overlap window reads again costs nothing: no write anywhere", async () => {
    const writes = (["dashboard", "cms", "lead-centre"] as const).map((k) => ({ ...h.samples.system(k).stats().writes }));
    const again = await run("incremental", "dashboard", { overlapMs: 120_000 }); // the default: re-reads the last 2 minutes
    expect(again.counts.fetched).toBeGreaterThanOrEqual(4);
    expect(again.counts).toMatchObject({ updated: 0, created: 0, conflicts: 0, failed: 0, unchanged: again.counts.fetched });
    expect((["dashboard", "cms", "lead-centre"] as const).map((k) => h.samples.system(k).stats().writes)).toEqual(writes);
  }, 120_000);
});

describe("cancel", () => {
  it("stops a run before its next page; what it applied is whole and delivered; the cursor stays", async () => {
    quietly(() => dashboard().seedSynthetic(60, 1000));
    const cursor = await cursorOf("dashboard");
    const before = (await h.engine.db.select().from(records)).length;
    dashboard().setFaults({ latencyMs: 150 });
    const r = await createRun(h.engine, { entity: "industry", system: "dashboard", kind: "full", trigger: "admin", startedBy: "test" });
    const going = executeRun(h.engine, r.id, { pageSize: 5 });
    for (let i = 0; i < 200; i++) {
      const [row] = await h.engine.db.select().from(runs).where(eq(runs.id, r.id));
      if (row!.counts.fetched >= 15) break;
      await sleep(50);
    }
    const { cancelRun } = await import("~/server/services/runs/cancel-run");
    const { systemActor } = await import("~/server/services/actor");
    await cancelRun({ engine: h.engine, actor: systemActor, input: { id: r.id } });
    const done = await going;
    dashboard().setFaults({ latencyMs: 0 });
    await h.settle({ timeoutMs: 60_000 });
    expect(done.status).toBe("cancelled");
    expect(done.counts.fetched).toBeLessThan(100);
    const items = await h.engine.db.select().from(runItems).where(eq(runItems.runId, r.id));
    expect(items).toHaveLength(done.counts.fetched);
    const created = items.filter((i) => i.outcome === "created").length;
    expect(done.counts.created).toBe(created);
    expect((await h.engine.db.select().from(records)).length).toBe(before + created);
    // Every record it created reached the other systems (its queued deliveries went), none half-written.
    expect(cms().all()).toHaveLength(39 + created);
    expect(h.samples.system("lead-centre").all()).toHaveLength(40 + created);
    expect(await cursorOf("dashboard")).toEqual(cursor);
  }, 180_000);
});
