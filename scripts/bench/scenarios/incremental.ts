// Incremental vs full: with 10 k industries already in agreement, 10 changed in the Dashboard. A full run
// reads and compares everything; an incremental run reads from its cursor. Deliveries are not sent here
// (no workers): this measures the runs themselves.
import { createRun } from "~/server/services/runs/create-run";
import { executeRun } from "~/server/services/runs/execute-run";
import { dashboardCmsConfig, openBenchEngine, sampleOverrides } from "../lib/bench-engine";
import { progress, round } from "../lib/common";
import { createBenchDb } from "../lib/database";
import { SAMPLE_API_KEY, startSamplesProcess } from "../lib/samples-process";
import type { Row } from "../lib/table";

export async function incrementalScenario(size: number): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  const samples = await startSamplesProcess();
  const db = await createBenchDb("incr");
  const bench = await openBenchEngine({ databaseUrl: db.url, config: dashboardCmsConfig, overrides: sampleOverrides(samples.url, SAMPLE_API_KEY) });
  const timed = async (kind: "full" | "incremental") => {
    const run = await createRun(bench.engine, { entity: "industry", system: "dashboard", kind, trigger: "cli", startedBy: "bench" });
    const started = performance.now();
    const done = await executeRun(bench.engine, run.id, { pageSize: 500 });
    if (done.status !== "succeeded") throw new Error(`${kind} run ${done.status}: ${done.error}`);
    return { ms: performance.now() - started, fetched: done.counts.fetched, updated: done.counts.updated };
  };
  try {
    await samples.seed("dashboard", size);
    progress(`incremental: ${size} industries in the Dashboard; first full run (creates)`);
    await timed("full");
    await timed("incremental"); // sets the cursor
    const full = await timed("full"); // everything already in agreement: the cost of a full reconcile
    for (let id = 1; id <= 10; id++) {
      const res = await fetch(`${samples.url}/dashboard/api/industries/${id}`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${SAMPLE_API_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ description: `changed for the incremental benchmark ${Date.now()}` }),
      });
      if (!res.ok) throw new Error(`PATCH ${id}: HTTP ${res.status}`);
    }
    const incremental = await timed("incremental");
    progress(`incremental: full ${round(full.ms)} ms (${full.fetched} read) · incremental ${round(incremental.ms)} ms (${incremental.fetched} read, ${incremental.updated} updated)`);
    return {
      rows: [
        {
          scenario: `incremental run, 10 changes among ${size / 1000} k, ms (baseline: a full run)`,
          concord: incremental.ms,
          baseline: full.ms,
          target: "a small fraction (< 20 %)",
          met: incremental.updated === 10 && incremental.ms < full.ms * 0.2,
        },
      ],
      details: { size, full, incremental },
    };
  } finally {
    await bench.close();
    await db.drop();
    await samples.stop();
  }
}
