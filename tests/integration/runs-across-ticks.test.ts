// Runs that finish anywhere (issue #14), end to end: `next start` as a serverless host (CONCORD_SERVERLESS,
// a 3 s CRON_BUDGET_MS) reads 5,000 records only through GET /api/cron/tick, SIGKILLed between and during
// ticks; a run started by runs.trigger there finishes through after() and ticks; a SIGKILLed `npm start`
// continues its run after the restart. Postgres only (the server and this test share the database:
// vitest.config.ts leaves the file out without TEST_DATABASE_URL); in the pooled pass all of it goes
// through PgBouncer. Reuses the build scripts/e2e.mjs makes (built here only when stale).
import { randomBytes } from "node:crypto";
import { and, count, countDistinct, eq, gt, inArray, ne, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSampleSystems, type SampleSystems } from "../../demo/server";
import { runItems, runs, schedules, systems, type TRunRow } from "~/server/db/schema";
import { systemActor } from "~/server/services/actor";
import { createApiKey } from "~/server/services/api-keys/create-api-key";
import { createRun } from "~/server/services/runs/create-run";
import { freePort } from "../../scripts/bench/lib/common";
import { createTestDb, type TestDb } from "../helpers/db";
import { createTestEngine } from "../helpers/engine";
import { buildIfStale, NextServer, signInCookie } from "../helpers/next-server";
import { waitFor, workerEnv } from "../helpers/worker-process";

const N = 5_000;
const SECRET = randomBytes(24).toString("hex");
const ADMIN = { email: "admin@ticks.test", password: "ticks-admin-pw" };
let t: TestDb;
let samples: SampleSystems;
let server: NextServer;
let apiKey: string;

beforeAll(async () => {
  await buildIfStale();
  t = await createTestDb();
  samples = await startSampleSystems({}); // no webhooks: only runs bring the records in
  samples.system("dashboard").seedSynthetic(N);
  const env = workerEnv(samples, { url: t.url }, {
    NODE_ENV: "production",
    AUTH_SECRET: randomBytes(32).toString("base64"),
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    CRON_SECRET: SECRET,
    CONCORD_SERVERLESS: "true",
    CRON_BUDGET_MS: "3000",
    RUN_LEASE_MS: "2000",
    ...(t.unpooledUrl ? { DATABASE_URL_UNPOOLED: t.unpooledUrl } : {}),
  });
  server = new NextServer(await freePort(), env);
  await server.start();
  // Nothing but these tests starts runs: no schedules; sends as fast as the sample systems take them.
  await t.db.update(schedules).set({ enabled: false }).where(sql`true`);
  await t.db.update(systems).set({ rateLimitPerSecond: 5000 }).where(sql`true`);
  apiKey = (await createApiKey({ db: t.db, actor: systemActor, input: { name: "ticks", scopes: ["read", "run"] } })).key;
}, 600_000);
afterAll(async () => {
  await server?.kill();
  await samples?.close();
  await t?.destroy();
});

const row = async (id: string): Promise<TRunRow> => (await t.db.select().from(runs).where(eq(runs.id, id)))[0]!;
const itemCount = async (id: string) => (await t.db.select({ n: count(), distinct: countDistinct(runItems.externalId) }).from(runItems).where(eq(runItems.runId, id)))[0]!;
const tick = (secret = SECRET) => fetch(`${server.url}/api/cron/tick`, { headers: { authorization: `Bearer ${secret}` } });
const trpc = async (path: string, input: unknown) => {
  const res = await fetch(`${server.url}/api/trpc/${path}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` }, body: JSON.stringify({ json: input }) });
  const body = (await res.json()) as { result?: { data: { json: { id: string } } } };
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return body.result!.data.json;
};
const ended = (r: TRunRow) => r.status !== "queued" && r.status !== "running";
const unique = (docs: { slug?: unknown }[]) => new Set(docs.map((d) => d.slug)).size;

describe("runs that finish anywhere (next start, Postgres)", () => {
  it("a 5,000-record full sync driven only by cron ticks, the server SIGKILLed between and during ticks, completes once", { timeout: 600_000 }, async () => {
    const engine = await createTestEngine(t);
    // Each page of the listing a slow request, so that the run spans several ticks however fast the host is
    // (25 pages of 200, at most 5 of them in the 2.1 s a tick gives its runs).
    const dashboard = samples.system("dashboard");
    dashboard.setFaults({ latencyMs: 400 });
    const made = await createRun(engine, { entity: "industry", system: "dashboard", kind: "full", trigger: "api", startedBy: "test" });
    const id = made!.id;

    // A wrong secret is refused and changes nothing.
    const bad = await tick("not-the-secret-at-all-0123456789");
    expect(bad.status).toBe(401);
    expect(await row(id)).toEqual(made);

    let ticks = 0;
    await waitFor(
      async () => {
        // A queued run is left to its starter for a short grace (QUEUED_GRACE_MS): until a tick takes it up, tick
        // without counting, so that the kills below land on a run that is being worked on, however fast the host.
        if ((await row(id)).status === "queued") {
          expect((await tick()).status).toBe(200);
          return false;
        }
        ticks++;
        if (ticks === 2 || ticks === 5) await server.restart(); // SIGKILL between ticks
        if (ticks === 3) {
          // SIGKILL in the middle of a tick, once it has committed a page: the run's lease then has to run out.
          const before = (await row(id)).position?.pages ?? 0;
          void tick().catch(() => null);
          const moved = (r: TRunRow) => (r.position?.pages ?? 0) > before || r.position?.stage === "listed" || ended(r);
          await waitFor(async () => moved(await row(id)), 30_000, "a page of the killed tick").catch(async (err: unknown) => {
            throw new Error(`${String(err)}\nrun: ${JSON.stringify(await row(id))}\nserver log:\n${server.log.slice(-4000)}`);
          });
          await server.restart();
          return false;
        }
        // Two ticks at once now and then: the run is held by one claim at a time.
        const answers = await Promise.all(ticks % 4 === 0 ? [tick(), tick()] : [tick()]);
        for (const a of answers) expect(a.status).toBe(200);
        return ended(await row(id));
      },
      480_000,
      "the run to finish tick by tick",
    );
    dashboard.setFaults({ latencyMs: 0 });
    const done = await row(id);
    expect(done.error).toBeNull();
    expect(done.status).toBe("succeeded");
    // What one uninterrupted run of these 5,000 new documents counts: each read once, created once.
    expect(done.counts).toEqual({ fetched: N, created: N, updated: 0, deleted: 0, unchanged: 0, echoes: 0, conflicts: 0, failed: 0, linked: 0 });
    expect(await itemCount(id)).toEqual({ n: N, distinct: N });
    expect(done.continuations.length).toBeGreaterThanOrEqual(4);
    expect(done.continuations.every((c) => c.by === "tick")).toBe(true);
    process.stderr.write(`[runs-across-ticks] ${N} records: ${ticks} ticks, ${done.continuations.length} invocations, ${done.position?.pages} pages\n`);

    // The ticks drain what the run queued (with a longer budget now, so that 15,000 sends take a few ticks):
    // every target holds every record exactly once.
    await server.restart({ CRON_BUDGET_MS: "30000" });
    const cms = samples.system("cms");
    const lead = samples.system("lead-centre");
    await waitFor(async () => (await tick(), cms.all().length >= N && lead.all().length >= N), 480_000, "the targets to receive every record");
    await server.restart({ CRON_BUDGET_MS: "3000" });
    expect([cms.all().length, unique(cms.all())]).toEqual([N, N]);
    expect([lead.all().length, unique(lead.all())]).toEqual([N, N]);

    // The run page lists the continuations.
    const cookie = await signInCookie(server.url, ADMIN.email, ADMIN.password);
    const page = await (await fetch(`${server.url}/runs/${id}`, { headers: { cookie } })).text();
    expect(page).toContain("Continuations");
    expect(page).toMatch(new RegExp(`Continued ${done.continuations.length - 1} times \\(${done.continuations.length - 1} by tick\\)`));
  });

  it("a run started by runs.trigger on the serverless server finishes through after() and the ticks", { timeout: 300_000 }, async () => {
    const cms = samples.system("cms");
    cms.setFaults({ latencyMs: 400 }); // more pages than the request's after() has time for
    const started = await trpc("runs.trigger", { entity: "industry", system: "cms", kind: "full" });
    await waitFor(async () => (await tick(), ended(await row(started.id))), 240_000, "the triggered run to finish");
    cms.setFaults({ latencyMs: 0 });
    const done = await row(started.id);
    expect(done.status).toBe("succeeded");
    expect(done.counts.fetched).toBe(N);
    expect(done.continuations[0]!.by).toBe("request");
    expect(done.continuations.length).toBeGreaterThanOrEqual(2);
    expect(done.continuations.slice(1).every((c) => c.by === "tick")).toBe(true);
    expect(await itemCount(started.id)).toEqual({ n: N, distinct: N });
  });

  it("a SIGKILLed `npm start` continues the same run from its last committed page after the restart", { timeout: 300_000 }, async () => {
    await server.restart({ CONCORD_SERVERLESS: "false" });
    await t.db.update(schedules).set({ enabled: false }).where(sql`true`);
    samples.system("dashboard").setFaults({ latencyMs: 150 }); // a long run: 25 pages, each a slow request
    try {
      const active = () => t.db.select({ id: runs.id }).from(runs).where(and(eq(runs.entity, "industry"), eq(runs.system, "dashboard"), inArray(runs.status, ["queued", "running"])));
      await waitFor(async () => (await active()).length === 0, 60_000, "no other dashboard run going (the catch-up at start)");
      const started = await trpc("runs.trigger", { entity: "industry", system: "dashboard", kind: "full" });
      await waitFor(async () => ((await row(started.id)).position?.pages ?? 0) >= 3, 60_000, "a few pages committed");
      await server.kill();
      const cut = await row(started.id);
      expect(cut.status).toBe("running");
      expect(cut.position!.stage).toBe("list");
      await server.start();
      await waitFor(async () => ended(await row(started.id)), 240_000, "the run to finish after the restart");
      const done = await row(started.id);
      expect(done.status).toBe("succeeded");
      expect(done.error).toBeNull();
      expect(done.counts).toMatchObject({ fetched: N, unchanged: N, created: 0, failed: 0 });
      expect(await itemCount(started.id)).toEqual({ n: N, distinct: N });
      expect(done.continuations.map((c) => c.by)).toEqual(["request", "worker"]);
      expect(await active()).toEqual([]);
      const since = await t.db.select({ id: runs.id }).from(runs).where(and(eq(runs.system, "dashboard"), ne(runs.id, cut.id), gt(runs.createdAt, cut.createdAt)));
      expect(since).toEqual([]); // no new run was needed
    } finally {
      samples.system("dashboard").setFaults({ latencyMs: 0 });
    }
  });
});
