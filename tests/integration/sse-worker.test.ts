import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { startSampleSystems, type SampleSystems } from "../../demo/server";
import { queryRows } from "~/server/db";
import { streamEvents } from "~/server/services/events/stream-events";
import { createTestDb, testDriver, type TestDb } from "../helpers/db";
import { Worker } from "~/server/engine/worker";
import { startEventLog } from "~/server/services/events/event-log";
import { createTestEngine } from "../helpers/engine";
import { seedFromDashboard } from "../helpers/seed-records";
import { exited, spawnWorker, waitFor, workerEnv } from "../helpers/worker-process";

let samples: SampleSystems | undefined;
let t: TestDb | undefined;
afterAll(async () => {
  await samples?.close();
  await t?.destroy();
});

describe(`a worker's events reach a browser served by another ${testDriver === "postgres" ? "process" : "engine (PGlite: one process)"}`, () => {
  it("the worker writes its delivery outcomes; a stream served here sends each once, in id order", async () => {
    samples = await startSampleSystems({ concordUrl: null });
    t = await createTestDb();
    const overrides = {
      dashboard: { url: `${samples.url}/dashboard`, auth: `Bearer ${samples.apiKey}` },
      cms: { url: `${samples.url}/cms`, auth: `users API-Key ${samples.apiKey}` },
      "lead-centre": { url: `${samples.url}/lead-centre`, auth: `Bearer ${samples.apiKey}` },
    };
    const engine = await createTestEngine(t, { overrides });
    await seedFromDashboard(engine, samples, 10);

    const abort = new AbortController();
    const res = await streamEvents({ engine, lastEventId: null, signal: abort.signal, pollMs: 60_000 });
    const reader = res.body!.getReader();
    let text = "";
    const pump = (async () => {
      for (let r = await reader.read(); !r.done; r = await reader.read()) text += new TextDecoder().decode(r.value);
    })();
    await waitFor(() => text.length > 0, 5_000, "the stream to open");

    // On Postgres a real `npm run worker` process; on PGlite (one process per folder) a second engine and bus here.
    const second = testDriver === "pglite" ? await createTestEngine(t, { overrides }) : null;
    const inProcess = second ? new Worker(second, { concurrency: 4 }) : null;
    if (second && inProcess) {
      startEventLog(second);
      inProcess.start();
    }
    const worker = inProcess ? null : spawnWorker(workerEnv(samples, { url: t.url }));
    try {
      const delivered = () => [...text.matchAll(/id: (\d+)\nevent: delivery\ndata: (.*)\n/g)].map((m) => ({ ...(JSON.parse(m[2]!) as { id: number; status: string }), eventId: Number(m[1]) }));
      // 10 creates in the CMS, 10 in the Lead Centre, then 10 cms_id write-backs to the Dashboard.
      await waitFor(() => delivered().filter((d) => d.status === "succeeded").length >= 30, 60_000, "thirty delivery outcomes");
      await new Promise((r) => setTimeout(r, 300));
      const got = delivered();
      const rows = await queryRows<{ n: number }>(engine.db, sql`select count(*)::int as n from deliveries where status = 'succeeded'`);
      expect(got.filter((d) => d.status === "succeeded")).toHaveLength(rows[0]!.n);
      const ids = got.map((d) => d.eventId);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);
      const succeeded = got.filter((d) => d.status === "succeeded").map((d) => d.id);
      expect(new Set(succeeded).size).toBe(succeeded.length); // no delivery told twice
    } finally {
      if (worker) {
        worker.kill("SIGTERM");
        await exited(worker);
      }
      await inProcess?.stop();
      abort.abort();
      await pump;
    }
  }, 120_000);
});
