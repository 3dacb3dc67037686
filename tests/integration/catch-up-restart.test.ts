import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { startSampleSystems, type SampleSystems } from "../../demo/server";
import { openDb } from "~/server/db/client";
import { systems } from "~/server/db/schema";
import { Worker } from "~/server/engine/worker";
import { createRun } from "~/server/services/runs/create-run";
import { executeRun } from "~/server/services/runs/execute-run";
import { createTestDb, testDriver, type TestDb } from "../helpers/db";
import { createTestEngine } from "../helpers/engine";
import { exited, spawnWorker, waitFor, workerEnv } from "../helpers/worker-process";

let samples: SampleSystems;
let t: TestDb | null = null;
const tmp = mkdtempSync(path.join(tmpdir(), "concord-catchup-"));
afterAll(async () => {
  await samples?.close();
  await t?.destroy();
  rmSync(tmp, { recursive: true, force: true });
});

/** A URL where nothing listens: Concord is down, so a sender's webhooks to it fail, are retried and dropped. */
async function deadUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}`;
}

describe("catch-up without a human", () => {
  it("a restart after downtime catches up without a manual run", async () => {
    samples = await startSampleSystems({ concordUrl: await deadUrl() });
    const dashboard = samples.system("dashboard");
    const cms = samples.system("cms");
    const pgliteDir = path.join(tmp, "pglite");

    // Before the downtime: Concord read the Dashboard's industries once and delivered them to the CMS.
    const handle = testDriver === "postgres" ? (t = await createTestDb()) : await openDb({ pgliteDir });
    if (testDriver === "pglite") await handle.migrate();
    const overrides = {
      dashboard: { url: `${samples.url}/dashboard`, auth: `Bearer ${samples.apiKey}` },
      cms: { url: `${samples.url}/cms`, auth: `users API-Key ${samples.apiKey}` },
      "lead-centre": { url: `${samples.url}/lead-centre`, auth: `Bearer ${samples.apiKey}` },
    };
    const engine = await createTestEngine({ ...handle, url: null, destroy: async () => {} }, { overrides });
    await engine.db.update(systems).set({ rateLimitPerSecond: 5000 }).where(sql`true`);
    dashboard.setConfig({ webhooks: false });
    dashboard.seedSynthetic(10);
    dashboard.setConfig({ webhooks: true });
    const first = await createRun(engine, { entity: "industry", system: "dashboard", kind: "full", trigger: "admin", startedBy: "test" });
    expect((await executeRun(engine, first.id)).status).toBe("succeeded");
    const worker = new Worker(engine, { concurrency: 8 });
    const synced = async () => {
      await worker.drain({ budgetMs: 2_000 });
      return cms.all().length === 10 && dashboard.all().every((d) => d.cms_id);
    };
    await waitFor(synced, 60_000, "the first sync");
    await dashboard.webhooksIdle(); // the cms_id write-backs' own webhooks, dropped too
    if (testDriver === "pglite") await handle.close();

    // While Concord is down, the Dashboard changes: 7 creates and an update whose webhooks are dropped after the sender's retries.
    const failedBefore = dashboard.stats().webhooks.failed;
    for (let i = 0; i < 7; i++) dashboard.create({ name: `Made while down ${i}`, slug: `made-while-down-${i}` });
    const renamed = dashboard.all()[0]!;
    dashboard.update(renamed.id as number, { name: "Renamed while down" });
    await dashboard.webhooksIdle();
    expect(dashboard.stats().webhooks.failed - failedBefore).toBe(8);

    // Concord starts again (`npm run worker`): nobody starts a run, yet every dropped change reaches the CMS.
    const restarted = spawnWorker(workerEnv(samples, { url: t?.url ?? null, pgliteDir }));
    try {
      await waitFor(
        () => cms.all().length === 17 && cms.all().some((d) => d.name === "Renamed while down") && dashboard.all().every((d) => d.cms_id),
        120_000, // the worker process boots (tsx, migrations) inside this bound
        "the changes made while Concord was down to reach the CMS",
      );
      expect(cms.all().filter((d) => String(d.slug).startsWith("made-while-down-"))).toHaveLength(7);
      expect(new Set(cms.all().map((d) => d.slug)).size).toBe(17); // no duplicates
    } finally {
      restarted.kill("SIGTERM");
      await exited(restarted);
    }
  }, 240_000);
});
