import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { links, runItems, runs } from "~/server/db/schema";
import { createRun } from "~/server/services/runs/create-run";
import { executeRun } from "~/server/services/runs/execute-run";
import type { TSelection } from "~/server/services/runs/selection";
import { callerFor, makeUser, sessionFor } from "../helpers/actors";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
const dashboard = () => h.samples.system("dashboard");
const cms = () => h.samples.system("cms");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quietly = (fn: () => void) => {
  for (const s of [dashboard(), cms()]) s.setConfig({ webhooks: false });
  fn(); // nothing announces these changes: only a run can see them
  for (const s of [dashboard(), cms()]) s.setConfig({ webhooks: true });
};
const selective = async (system: "dashboard" | "cms", selection: TSelection) => {
  const r = await createRun(h.engine, { entity: "industry", system, kind: "selective", trigger: "admin", startedBy: "test", options: JSON.parse(JSON.stringify(selection)) });
  const done = await executeRun(h.engine, r.id, { pageSize: 10 });
  await h.settle({ timeoutMs: 60_000 });
  return { done, items: await h.engine.db.select().from(runItems).where(eq(runItems.runId, r.id)) };
};
const inCms = (slug: string) => cms().all().find((c) => c.slug === slug)!;
const inDashboard = (slug: string) => dashboard().all().find((d) => d.slug === slug)!;

beforeAll(async () => {
  h = await startHarness();
  quietly(() => dashboard().seedSynthetic(20));
  const r = await createRun(h.engine, { entity: "industry", system: "dashboard", kind: "full", trigger: "admin", startedBy: "test" });
  expect((await executeRun(h.engine, r.id)).counts.created).toBe(20);
  await h.settle({ timeoutMs: 60_000 });
}, 180_000);
afterAll(async () => {
  await h?.stop();
});

describe("selective runs", () => {
  it("by the system's ids: applies exactly those documents and reports an unknown id", async () => {
    const [a, b, c] = cms().all();
    quietly(() => [a!, b!, c!].forEach((d) => cms().update(d.id, { description: `picked ${d.slug}` })));
    const { done, items } = await selective("cms", { externalIds: [a!.id, b!.id, "0123456789abcdef01234567"] });
    expect(done.status).toBe("succeeded");
    expect(done.counts).toMatchObject({ fetched: 2, updated: 2, failed: 1, deleted: 0, created: 0 });
    expect(items.map((i) => i.outcome).sort()).toEqual(["applied", "applied", "failed"]);
    expect(items.find((i) => i.outcome === "failed")!.error).toMatch(/no document with id 0123456789abcdef01234567/);
    expect(inDashboard(a!.slug).description).toBe(`picked ${a!.slug}`);
    expect(inDashboard(b!.slug).description).toBe(`picked ${b!.slug}`);
    expect(inDashboard(c!.slug).description).not.toBe(`picked ${c!.slug}`); // not asked for
  }, 120_000);

  it("by Concord records: reads each one's linked document; a record with no link is reported", async () => {
    const d = dashboard().all()[10]!;
    quietly(() => dashboard().update(d.id, { name: "Renamed by selection" }));
    const [link] = await h.engine.db.select().from(links).where(and(eq(links.system, "dashboard"), eq(links.externalId, String(d.id))));
    const { done } = await selective("dashboard", { recordIds: [link!.recordId, randomUUID()] });
    expect(done.counts).toMatchObject({ fetched: 1, updated: 1, failed: 1 });
    expect(inCms(d.slug).name).toBe("Renamed by selection");
  }, 120_000);

  it("by a date range of the system's updated-at: only documents changed within it; no deletes inferred", async () => {
    const [p, q, r, s, gone] = dashboard().all().slice(12, 17);
    quietly(() => dashboard().update(p!.id, { description: "before the range" }));
    await sleep(30);
    const since = new Date();
    await sleep(5);
    quietly(() => [q!, r!].forEach((d) => dashboard().update(d.id, { description: "inside the range" })));
    await sleep(30);
    const until = new Date();
    await sleep(30);
    quietly(() => {
      dashboard().update(s!.id, { description: "after the range" });
      dashboard().remove(gone!.id);
    });
    const { done } = await selective("dashboard", { since, until });
    expect(done.counts).toMatchObject({ fetched: 2, updated: 2, deleted: 0, failed: 0 });
    expect([p, q, r, s].map((d) => inCms(d!.slug).description)).toEqual([p!.description, "inside the range", "inside the range", s!.description]);
    expect(inCms(gone!.slug)).toBeDefined();
  }, 120_000);

  it("is started through runs.trigger; the input must say what to read", async () => {
    const admin = await makeUser(h.engine.db, "selective-admin@concord.test", "admin");
    const caller = callerFor(h.engine.db, sessionFor(admin), h.engine);
    const err = await caller.runs.trigger({ entity: "industry", system: "cms", kind: "selective" }).catch((e: unknown) => e);
    expect((err as TRPCError).code).toBe("BAD_REQUEST");
    expect(JSON.stringify((err as TRPCError).cause)).toContain("externalIds");
    const mixed = await caller.runs.trigger({ entity: "industry", system: "cms", kind: "full", externalIds: ["x"] }).catch((e: unknown) => e);
    expect((mixed as TRPCError).code).toBe("BAD_REQUEST");
    const x = cms().all()[5]!;
    quietly(() => cms().update(x.id, { name: "Via the API" }));
    const started = await caller.runs.trigger({ entity: "industry", system: "cms", kind: "selective", externalIds: [x.id] });
    expect(started).toMatchObject({ kind: "selective", status: "queued", options: { externalIds: [x.id] } });
    for (let i = 0; i < 200; i++) {
      const [row] = await h.engine.db.select().from(runs).where(eq(runs.id, started.id));
      if (row!.status !== "queued" && row!.status !== "running") break;
      await sleep(50);
    }
    await h.settle({ timeoutMs: 60_000 });
    const detail = await caller.runs.get({ id: started.id });
    expect(detail.run).toMatchObject({ status: "succeeded", counts: { fetched: 1, updated: 1 } });
    expect(inDashboard(x.slug).name).toBe("Via the API");
  }, 120_000);
});
