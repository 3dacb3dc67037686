// One fleet full sync, Onboarding Portal → Maintenance Portal, in a process of its own so its peak RSS is
// its own: `syncFleet` (scope "fleet": company → vessel → equipment → user runs, executed in order in the
// background) while an in-process Worker drains deliveries. Timed until the Maintenance Portal holds
// BENCH_TOTAL records. If every run has ended and the queue is empty short of that, the fleet sync is
// started again (up to 3 rounds) and the result says so.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { inArray, sql } from "drizzle-orm";
import { runs as runsTable } from "~/server/db/schema";
import { queryRows } from "~/server/db";
import { Worker } from "~/server/engine/worker";
import { cliActor } from "~/server/services/actor";
import { syncFleet } from "~/server/services/fleet/sync-fleet";
import { decideHeldRun } from "~/server/services/runs/decide-held-run";
import { fleetConfig, openBenchEngine, sampleOverrides } from "./lib/bench-engine";
import { emitResult, intEnv, progress, round, rssSampler, sleep } from "./lib/common";

const total = intEnv("BENCH_TOTAL", 1);
const timeoutMs = intEnv("BENCH_TIMEOUT_MS", 180_000);
const concurrency = intEnv("BENCH_CONCURRENCY", 16);
const samplesUrl = process.env.BENCH_SAMPLES_URL!;
const apiKey = process.env.BENCH_SAMPLES_KEY!;
const databaseUrl = process.env.BENCH_DB_URL!;
const ENDED = ["succeeded", "failed", "cancelled", "awaiting-approval"];
const MAX_ROUNDS = 3;

export interface FleetSyncResult {
  total: number;
  /** Records the Maintenance Portal held at the end, by collection. */
  held: Record<string, number>;
  count: number;
  complete: boolean;
  seconds: number;
  recordsPerSecond: number;
  /** Until the queue was empty as well (QR codes written back to the Onboarding Portal). */
  drainedSeconds?: number;
  peakRssMb: number;
  startRssMb: number;
  runs: Record<string, unknown>[];
  queue: Record<string, number>;
  queries: number;
  http: Record<string, { count: number; ms: number }>;
  /** This process's event-loop delay (ms): how busy its own CPU work kept it. */
  loopDelayMs: { p50: number; p99: number; max: number };
  /** CPU time of this process (user + system) over the sync, in seconds. */
  cpuSeconds: number;
}

async function maintenanceStats(): Promise<{ count: number; collections: Record<string, number> }> {
  const res = await fetch(`${samplesUrl}/maintenance/_stats`);
  return (await res.json()) as { count: number; collections: Record<string, number> };
}

const { engine, meter, close } = await openBenchEngine({ databaseUrl, config: fleetConfig, overrides: sampleOverrides(samplesUrl, apiKey) });
const worker = new Worker(engine, { concurrency });
const waiting = async () =>
  (await queryRows<{ n: number }>(engine.db, sql`select count(*)::int as n from (select 1 from deliveries where status in ('pending', 'retrying', 'in_flight') limit 1) w`))[0]!.n;
global.gc?.();
const rss = rssSampler();
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const cpu0 = process.cpuUsage();
const startRssMb = process.memoryUsage().rss / 1024 / 1024;
const deadline = Date.now() + timeoutMs;
const t0 = performance.now();
const elapsed = () => round((performance.now() - t0) / 1000, 1);

worker.start();
const runs: Record<string, unknown>[] = [];
let count = 0;
let tFull: number | null = null;
let drainedAt: number | null = null;
let lastTell = Date.now();
for (let attempt = 1; attempt <= MAX_ROUNDS && tFull === null && Date.now() < deadline; attempt++) {
  const { runs: started } = await syncFleet({ engine, actor: cliActor("bench"), input: { scope: "fleet" }, trigger: "cli" });
  const ids = started.map((r) => r.id);
  let ended = false;
  drainedAt = null;
  while (Date.now() < deadline) {
    count = (await maintenanceStats()).count;
    if (count >= total && tFull === null) tFull = performance.now();
    if (!ended) {
      const rows = await engine.db.select().from(runsTable).where(inArray(runsTable.id, ids));
      if (rows.every((r) => ENDED.includes(r.status))) {
        ended = true;
        for (const id of ids) {
          const r = rows.find((x) => x.id === id)!;
          runs.push({ round: attempt, entity: r.entity, status: r.status, ...r.counts });
          // A held run (inferred deletes past the guard): refuse it, as the full-sync bench does.
          if (r.status === "awaiting-approval") await decideHeldRun({ engine, actor: cliActor("bench"), input: { runId: r.id, approve: false } });
        }
        progress(`  fleet: round ${attempt} runs ended at ${elapsed()} s: ${rows.map((r) => `${r.entity} ${r.status}`).join(", ")}`);
      }
    }
    if (ended && (await waiting()) === 0) {
      drainedAt = performance.now();
      break;
    }
    if (Date.now() - lastTell > 10_000) {
      lastTell = Date.now();
      progress(`  fleet: Maintenance Portal holds ${count}/${total} after ${elapsed()} s (peak RSS so far ${round(rss.peakMb)} MB)`);
    }
    await sleep(100);
  }
  count = (await maintenanceStats()).count;
  if (count >= total && tFull === null) tFull = performance.now();
  if (tFull === null && drainedAt !== null) progress(`  fleet: queue empty at ${elapsed()} s with ${count}/${total} in the Maintenance Portal; starting the fleet sync again`);
}
const stats = await maintenanceStats();
const tEnd = tFull ?? performance.now();
const peakRssMb = rss.stop();
loop.disable();
const cpu = process.cpuUsage(cpu0);
await worker.stop();
const queue = Object.fromEntries(
  (await queryRows<{ status: string; n: number }>(engine.db, sql`select status, count(*)::int as n from deliveries group by status`)).map((r) => [r.status, r.n]),
);
const m = meter.snapshot();
await close();
const seconds = (tEnd - t0) / 1000;
const result: FleetSyncResult = {
  total,
  held: stats.collections,
  count: stats.count,
  complete: stats.count >= total,
  seconds: round(seconds, 2),
  recordsPerSecond: round(Math.min(stats.count, total) / seconds),
  drainedSeconds: drainedAt !== null && stats.count >= total ? round((drainedAt - t0) / 1000, 2) : undefined,
  peakRssMb: round(peakRssMb),
  startRssMb: round(startRssMb),
  runs,
  queue,
  queries: m.queries,
  http: m.http,
  loopDelayMs: { p50: round(loop.percentile(50) / 1e6, 1), p99: round(loop.percentile(99) / 1e6, 1), max: round(loop.max / 1e6, 1) },
  cpuSeconds: round((cpu.user + cpu.system) / 1e6, 1),
};
emitResult(result);
process.exit(0);
