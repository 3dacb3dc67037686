import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { startSampleSystems, type SampleSystems } from "../../demo/server";
import { queryRows } from "~/server/db";
import { systems } from "~/server/db/schema";
import { Worker } from "~/server/engine/worker";
import { createTestDb, testDriver, type TestDb } from "../helpers/db";
import { createTestEngine } from "../helpers/engine";
import { seedFromDashboard } from "../helpers/seed-records";
import { exited, spawnWorker, waitFor, workerEnv } from "../helpers/worker-process";

const N = 100;
const LIMIT = 40; // requests per second the CMS and Lead Centre may receive
let samples: SampleSystems;
let t: TestDb;
afterAll(async () => {
  await samples?.close();
  await t?.destroy();
});

describe("two workers share one queue", () => {
  it(`never send the same delivery twice at once and together stay under a system's rate limit (${testDriver === "postgres" ? "two processes" : "two workers in one process: PGlite has one opener"})`, async () => {
    samples = await startSampleSystems({ concordUrl: null });
    t = await createTestDb();
    const overrides = {
      dashboard: { url: `${samples.url}/dashboard`, auth: `Bearer ${samples.apiKey}` },
      cms: { url: `${samples.url}/cms`, auth: `users API-Key ${samples.apiKey}` },
      "lead-centre": { url: `${samples.url}/lead-centre`, auth: `Bearer ${samples.apiKey}` },
    };
    const seeder = await createTestEngine(t, { overrides });
    await seeder.db.update(systems).set({ rateLimitPerSecond: LIMIT }).where(sql`true`);
    await seedFromDashboard(seeder, samples, N);
    const cms = samples.system("cms");
    const lead = samples.system("lead-centre");
    const done = () => cms.stats().count === N && lead.stats().count === N && samples.system("dashboard").all().every((d) => d.cms_id);

    if (testDriver === "postgres") {
      const env = workerEnv(samples, { url: t.url });
      const workers = [spawnWorker(env), spawnWorker(env)];
      await waitFor(done, 120_000, "both workers to finish");
      for (const w of workers) w.kill("SIGTERM");
      expect(await Promise.all(workers.map(exited))).toEqual([0, 0]);
    } else {
      const workers = [new Worker(await createTestEngine(t, { overrides }), { concurrency: 8 }), new Worker(await createTestEngine(t, { overrides }), { concurrency: 8 })];
      workers.forEach((w) => w.start());
      await waitFor(done, 120_000, "both workers to finish");
      await Promise.all(workers.map((w) => w.stop()));
    }

    expect(cms.stats().maxRequestsPerSecond).toBeLessThanOrEqual(LIMIT);
    expect(lead.stats().maxRequestsPerSecond).toBeLessThanOrEqual(LIMIT);
    expect(cms.stats().writes.create).toBe(N); // each create sent once
    expect(lead.stats().writes.create).toBe(N);
    const claimedBy = await queryRows<{ workers: number }>(t.db, sql`select count(distinct claimed_by)::int as workers from deliveries`);
    expect(claimedBy[0]!.workers).toBe(2); // both took part
    const twice = await queryRows(t.db, sql`select delivery_id from delivery_attempts where outcome = 'success' and method in ('POST', 'PATCH') group by delivery_id having count(*) > 1`);
    expect(twice).toEqual([]);
  }, 180_000);
});
