import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { startSampleSystems, type SampleSystems } from "../../demo/server";
import { queryRows } from "~/server/db";
import { openDb } from "~/server/db/client";
import { systems } from "~/server/db/schema";
import { createTestDb, testDriver, type TestDb } from "../helpers/db";
import { createTestEngine } from "../helpers/engine";
import { seedFromDashboard } from "../helpers/seed-records";
import { exited, spawnWorker, waitFor, workerEnv } from "../helpers/worker-process";

const N = 1000; // 2,000 deliveries (CMS and Lead Centre) plus the cms_id write-backs
let samples: SampleSystems;
let t: TestDb | null = null;
const tmp = mkdtempSync(path.join(tmpdir(), "concord-crash-"));
afterAll(async () => {
  await samples?.close();
  await t?.destroy();
  rmSync(tmp, { recursive: true, force: true });
});

describe("nothing acknowledged is lost", () => {
  it(`kill -9 of a worker in the middle of ${2 * N} deliveries, then a restart: every target ends with exactly the expected records`, async () => {
    samples = await startSampleSystems({ concordUrl: null });
    const pgliteDir = path.join(tmp, "pglite");
    // Seed Concord (records + queued deliveries), then let the worker process own the database.
    let handle = testDriver === "postgres" ? (t = await createTestDb()) : await openDb({ pgliteDir });
    if (testDriver === "pglite") await handle.migrate();
    const engine = await createTestEngine({ ...handle, url: null, destroy: async () => {} });
    await engine.db.update(systems).set({ rateLimitPerSecond: 5000 }).where(sql`true`);
    await seedFromDashboard(engine, samples, N);
    if (testDriver === "pglite") await handle.close();

    const env = workerEnv(samples, { url: t?.url ?? null, pgliteDir });
    const cms = samples.system("cms");
    const first = spawnWorker(env);
    await waitFor(() => cms.stats().count >= N / 4, 90_000, "the first worker to get going");
    first.kill("SIGKILL");
    expect(await exited(first)).toBeNull(); // killed, not exited
    const midway = cms.stats().count;
    expect(midway).toBeLessThan(N);

    const second = spawnWorker(env);
    const dashboard = samples.system("dashboard");
    const lead = samples.system("lead-centre");
    await waitFor(
      () => cms.stats().count === N && lead.stats().count === N && dashboard.all().every((d) => d.cms_id),
      120_000,
      "the restarted worker to finish",
    );
    second.kill("SIGTERM");
    expect(await exited(second)).toBe(0);

    const cmsDocs = cms.all();
    expect(new Set(cmsDocs.map((d) => d.slug)).size).toBe(N); // no duplicates
    expect(cmsDocs).toHaveLength(N);
    expect(lead.all()).toHaveLength(N);
    const cmsIds = new Set(cmsDocs.map((d) => d.id));
    expect(dashboard.all().every((d) => cmsIds.has(d.cms_id!))).toBe(true);

    if (testDriver === "pglite") handle = await openDb({ pgliteDir });
    const [left] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from deliveries where status not in ('succeeded', 'superseded')`);
    expect(left!.n).toBe(0);
    if (testDriver === "pglite") await handle.close();
  }, 240_000);
});
