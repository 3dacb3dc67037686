// Deliveries/s with 1, 2 and 4 worker processes (`node --import tsx src/cli/worker.ts`) to fast targets.
// Setup once: the sample Dashboard holds BENCH_DELIVERY_RECORDS industries; a full run from it with no
// worker running queues a create for the CMS and one for the Lead Centre per record (the shipped
// configuration, which the worker CLI loads). That database is the template for one clone per worker
// count. Timed: from un-pausing the systems (the workers are up and idle) until nothing is waiting; the
// CMS creates also queue the cms_id write-backs to the Dashboard, which count as deliveries too.
// Baselines: the same writes (POST per create, PATCH per write-back) from one bare process with no database
// (the absolute limit), and from a bare durable outbox in a process of its own (bare-outbox.ts: the fair one).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { startSampleSystems } from "../../demo/server";
import { defaultConfig } from "~/sync/config";
import { queryRows } from "~/server/db";
import { openDb } from "~/server/db/client";
import { systems as systemsTable } from "~/server/db/schema";
import { createEngine } from "~/server/engine/create-engine";
import { ensureSystemRows } from "~/server/services/connections/get-connection";
import { createRun } from "~/server/services/runs/create-run";
import { executeRun } from "~/server/services/runs/execute-run";
import { BENCH_ENCRYPTION_KEY, openBenchEngine, sampleOverrideEnv, sampleOverrides } from "./lib/bench-engine";
import { DATABASE_URL, emitResult, intEnv, listEnv, progress, root, round, runChild, sleep, stopChild, waitUntil } from "./lib/common";
import { counterDelta, createBenchDb, dbCounters } from "./lib/database";

const records = intEnv("BENCH_DELIVERY_RECORDS", 1700);
const workerCounts = listEnv("BENCH_WORKERS", [1, 2, 4]);
const concurrency = intEnv("BENCH_WORKER_CONCURRENCY", 16);
const phaseTimeoutMs = intEnv("BENCH_DELIVERY_TIMEOUT_MS", 90_000);

interface Phase {
  workers: number;
  /** Absent: Postgres. */
  driver?: "pglite";
  deliveries: number;
  seconds: number;
  perSecond: number;
  complete: boolean;
  statuses: Record<string, number>;
  /** Database transactions (statements outside a transaction count one each) per delivery. */
  xactsPerDelivery: number;
  /** Mean time of one HTTP request to the target, from delivery_attempts. */
  httpMsMean: number;
  httpRequests: number;
  /** CPU seconds the worker processes used, and as a share of the wall time × workers. */
  workerCpuSeconds: number;
  /** Of workerCpuSeconds, what the processes' main threads spent (the rest: V8's GC and compiler threads, libuv's pool). */
  workerMainThreadCpuSeconds?: number;
  workerCpuShare: number;
}

/** A bench worker process's environment: its database (Postgres URL or PGlite folder) and the sample systems' wiring. */
function workerEnv(database: { DATABASE_URL: string } | { PGLITE_DIR: string }, samples: { url: string; apiKey: string }): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    NODE_ENV: "production",
    LOG_LEVEL: "info",
    AUTH_SECRET: "bench-only-auth-secret-not-used-for-anything-0123456789",
    CONCORD_ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY,
    ...database,
    WORKER_CONCURRENCY: String(concurrency),
    ...sampleOverrideEnv(samples.url, samples.apiKey),
  };
}

/** utime + stime of a process (all its threads), or of its main thread only, in seconds (Linux /proc). */
function cpuSeconds(pid: number | undefined, mainThreadOnly = false): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(mainThreadOnly ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function spawnWorker(env: Record<string, string>): { child: ChildProcess; ready: Promise<void> } {
  // BENCH_CPU_PROF_DIR: each worker writes a V8 CPU profile there when it exits (open it in Chrome DevTools).
  const prof = process.env.BENCH_CPU_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...prof, "--import", "tsx", "src/cli/worker.ts"], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  const ready = new Promise<void>((resolve, reject) => {
    let buf = "";
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (d: string) => {
      buf += d;
      if (buf.includes("worker running")) resolve();
      if (buf.length > 100_000) buf = buf.slice(-1000);
    });
    child.stderr!.on("data", (d: Buffer) => process.stderr.write(`  [worker ${child.pid}] ${d}`));
    child.once("exit", (code: number | null) => reject(new Error(`worker exited with ${code} before it was ready`)));
  });
  return { child, ready };
}

/**
 * Deliveries on PGlite: the setup queues the same deliveries into a fresh PGlite folder from this process (no
 * worker), then one worker process opens the folder (PGlite allows one process) and sends them. Nothing else can
 * read the folder meanwhile, so the clock runs from the worker's "worker running" line until the sample systems
 * hold every create and every cms_id write-back.
 */
async function pglitePhase(samples: Awaited<ReturnType<typeof startSampleSystems>>, n: number): Promise<Phase | null> {
  const dir = mkdtempSync(path.join(tmpdir(), "concord-bench-pglite-"));
  const dataDir = path.join(dir, "pglite");
  samples.reset();
  const dashboard = samples.system("dashboard");
  dashboard.seedSynthetic(n);
  try {
    {
      const handle = await openDb({ pgliteDir: dataDir });
      await handle.migrate();
      const engine = createEngine({ db: handle.db, driver: "pglite", encryptionKey: BENCH_ENCRYPTION_KEY, config: defaultConfig, overrides: sampleOverrides(samples.url, samples.apiKey) });
      await ensureSystemRows(engine);
      await engine.db.update(systemsTable).set({ rateLimitPerSecond: 100_000 }).where(sql`true`);
      const run = await createRun(engine, { entity: "industry", system: "dashboard", kind: "full", trigger: "cli", startedBy: null });
      await executeRun(engine, run.id);
      await handle.close();
    }
    const env = workerEnv({ PGLITE_DIR: dataDir }, samples);
    const cms = samples.system("cms");
    const lead = samples.system("lead-centre");
    const worker = spawnWorker(env);
    try {
      await Promise.race([worker.ready, sleep(60_000).then(() => Promise.reject(new Error("the PGlite worker did not start in 60 s")))]);
      const cpuBefore = cpuSeconds(worker.child.pid);
      const t0 = performance.now();
      const done = () => cms.all().length >= n && lead.all().length >= n && dashboard.all().every((d) => d.cms_id !== null);
      const complete = await waitUntil(done, phaseTimeoutMs, 25);
      const seconds = (performance.now() - t0) / 1000;
      const cpu = cpuSeconds(worker.child.pid) - cpuBefore;
      const deliveries = cms.all().length + lead.all().length + dashboard.all().filter((d) => d.cms_id !== null).length;
      const phase: Phase = {
        workers: 1,
        driver: "pglite",
        deliveries,
        seconds: round(seconds, 2),
        perSecond: round(deliveries / seconds),
        complete,
        statuses: {},
        xactsPerDelivery: 0,
        httpMsMean: 0,
        httpRequests: 0,
        workerCpuSeconds: round(cpu, 1),
        workerCpuShare: round(cpu / seconds, 2),
      };
      progress(`  deliveries on PGlite, 1 worker: ${phase.perSecond}/s (${deliveries} in ${phase.seconds} s${complete ? "" : ", TIMED OUT"}), worker CPU ${round(phase.workerCpuShare * 100)} %`);
      return phase;
    } finally {
      await stopChild(worker.child);
    }
  } catch (err) {
    progress(`  deliveries on PGlite failed: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const samples = await startSampleSystems({ concordUrl: null, webhooks: false, seed: false });
  const dashboard = samples.system("dashboard");
  const template = await createBenchDb("deltpl");
  const clones: string[] = [];
  const phases: Phase[] = [];
  try {
    // Setup: queue the deliveries with no worker running.
    dashboard.seedSynthetic(records);
    {
      const { engine, close } = await openBenchEngine({ databaseUrl: template.url, config: defaultConfig, overrides: sampleOverrides(samples.url, samples.apiKey) });
      const run = await createRun(engine, { entity: "industry", system: "dashboard", kind: "full", trigger: "cli", startedBy: null });
      const t = performance.now();
      const row = await executeRun(engine, run.id);
      const [q] = await queryRows<{ n: number }>(engine.db, sql`select count(*)::int as n from deliveries where status = 'pending'`);
      progress(`  deliveries: ${row.counts.created} records ingested in ${round((performance.now() - t) / 1000, 1)} s; ${q!.n} deliveries queued`);
      // Paused: the workers start idle, and the clock starts when the systems are un-paused.
      await engine.db.execute(sql`update systems set paused_until = now() + interval '1 hour'`);
      await close();
    }

    for (const k of workerCounts) {
      const name = `${template.name.replace("deltpl", `del${k}w`)}`;
      const admin = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${name} template ${template.name}`);
      await admin.end();
      clones.push(name);
      const url = new URL(DATABASE_URL);
      url.pathname = `/${name}`;
      const dbUrl = url.toString();
      samples.reset();
      dashboard.seedSynthetic(records);

      const env = workerEnv({ DATABASE_URL: dbUrl }, samples);
      const workers = Array.from({ length: k }, () => spawnWorker(env));
      try {
        await Promise.all(workers.map((w) => w.ready));
        await sleep(1_000);
        const sqlc = postgres(dbUrl, { max: 1, onnotice: () => {} });
        const total = (await sqlc<{ total: number }[]>`select count(*)::int as total from deliveries`)[0]!.total;
        const before = await dbCounters(dbUrl);
        const cpuBefore = workers.map((w) => cpuSeconds(w.child.pid));
        const mainCpuBefore = workers.map((w) => cpuSeconds(w.child.pid, true));
        const t0 = performance.now();
        await sqlc`update systems set paused_until = null`;
        await sqlc`select pg_notify('concord_events', ${JSON.stringify({ from: "bench", event: { type: "wake" } })})`;
        const complete = await waitUntil(
          // exists, not count(*): the poll runs every 25 ms on the server being measured, and a count read every row.
          async () => (await sqlc<{ waiting: boolean }[]>`select exists (select 1 from deliveries where status in ('pending', 'retrying', 'in_flight')) as waiting`)[0]!.waiting === false,
          phaseTimeoutMs,
          25,
        );
        const seconds = (performance.now() - t0) / 1000;
        const cpu = workers.reduce((sum, w, i) => sum + cpuSeconds(w.child.pid) - cpuBefore[i]!, 0);
        const mainCpu = workers.reduce((sum, w, i) => sum + cpuSeconds(w.child.pid, true) - mainCpuBefore[i]!, 0);
        const statuses = Object.fromEntries((await sqlc<{ status: string; n: number }[]>`select status, count(*)::int as n from deliveries group by status`).map((r) => [r.status, r.n]));
        const [http] = await sqlc<{ n: number; mean: number }[]>`select count(*)::int as n, coalesce(avg(duration_ms), 0)::float as mean from delivery_attempts`;
        const done = (statuses.succeeded ?? 0) + (statuses.dead ?? 0);
        await sqlc.end();
        await Promise.all(workers.map((w) => stopChild(w.child)));
        await sleep(1_200); // pg_stat_database is flushed about once a second
        const delta = counterDelta(before, await dbCounters(dbUrl));
        const phase: Phase = {
          workers: k,
          deliveries: done,
          seconds: round(seconds, 2),
          perSecond: round(done / seconds),
          complete,
          statuses: { ...statuses, queuedAtStart: total },
          xactsPerDelivery: round(delta.xacts / Math.max(1, done), 1),
          httpMsMean: round(http!.mean, 2),
          httpRequests: http!.n,
          workerCpuSeconds: round(cpu, 1),
          workerMainThreadCpuSeconds: round(mainCpu, 1),
          workerCpuShare: round(cpu / (seconds * k), 2),
        };
        phases.push(phase);
        progress(`  deliveries with ${k} worker(s): ${phase.perSecond}/s (${done} in ${phase.seconds} s${complete ? "" : ", TIMED OUT"}), ${phase.xactsPerDelivery} db transactions and ${round(http!.n / Math.max(1, done), 2)} HTTP requests per delivery (HTTP mean ${phase.httpMsMean} ms), worker CPU ${round(phase.workerCpuShare * 100)} % of ${k} process(es), ${round((mainCpu * 1000) / Math.max(1, done), 2)} ms per delivery on main threads and ${round(((cpu - mainCpu) * 1000) / Math.max(1, done), 2)} on V8's and libuv's own threads (GC, compilers)`);
      } finally {
        await Promise.all(workers.map((w) => stopChild(w.child)));
      }
    }

    // The same on embedded PGlite (the single-site default): one worker process, which owns the PGlite folder.
    if (process.env.BENCH_DELIVERY_PGLITE !== "0") {
      const phase = await pglitePhase(samples, records);
      if (phase) phases.push(phase);
    }

    // Baseline: the same writes, bare, from this process.
    samples.reset();
    dashboard.seedSynthetic(records);
    const docs = dashboard.all();
    const writes = docs.length * 3;
    const t0 = performance.now();
    let next = 0;
    let failed = 0;
    const send = async (url: string, method: string, auth: string, body: unknown) => {
      const r = await fetch(url, { method, headers: { authorization: auth, "content-type": "application/json" }, body: JSON.stringify(body) });
      const json = (await r.json()) as Record<string, unknown>;
      if (!r.ok) failed++;
      return json;
    };
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < docs.length) {
          const d = docs[next++]!;
          const created = (await send(`${samples.url}/cms/api/industries?depth=0`, "POST", `users API-Key ${samples.apiKey}`, { name: d.name, slug: d.slug, description: d.description, active: d.is_active })) as { doc?: { id: string } };
          await send(`${samples.url}/lead-centre/api/industries`, "POST", `Bearer ${samples.apiKey}`, { title: d.name, slug: d.slug, summary: d.description, enabled: d.is_active });
          await send(`${samples.url}/dashboard/api/industries/${d.id}`, "PATCH", `Bearer ${samples.apiKey}`, { cms_id: created.doc?.id ?? null });
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const baseline = { writes, seconds: round(seconds, 2), perSecond: round(writes / seconds), failed, concurrency };
    progress(`  deliveries bare: ${baseline.perSecond} writes/s (${writes} in ${baseline.seconds} s, concurrency ${concurrency}${failed ? `, ${failed} failed` : ""})`);

    // Fair baseline (the target's): the same writes from a bare durable outbox in a process of its own (bare-outbox.ts).
    samples.reset();
    dashboard.seedSynthetic(records);
    const outboxDb = await createBenchDb("outbox");
    type TOutbox = { writes: number; seconds: number; perSecond: number; failed: number; lookups: number };
    let outbox: TOutbox | null = null;
    try {
      const o = await runChild<TOutbox>("scripts/bench/bare-outbox.ts", { BENCH_OUTBOX_DATABASE_URL: outboxDb.url, BENCH_SAMPLES_URL: samples.url, BENCH_SAMPLES_API_KEY: samples.apiKey, BENCH_WORKER_CONCURRENCY: String(concurrency) }, phaseTimeoutMs + 60_000);
      progress(`  deliveries bare durable outbox: ${o.perSecond} writes/s (${o.writes} in ${o.seconds} s, ${o.lookups} batched lookups${o.failed ? `, ${o.failed} failed` : ""})`);
      outbox = o;
    } catch (err) {
      progress(`  deliveries bare durable outbox failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      await outboxDb.drop();
    }
    emitResult({ records, phases, baseline, outbox });
  } finally {
    await samples.close();
    const admin = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
    for (const name of clones) await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
    await template.drop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
