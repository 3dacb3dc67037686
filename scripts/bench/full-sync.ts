// One full sync of BENCH_N industries Dashboard → CMS, in a process of its own so its peak RSS is its own.
// BENCH_MODE=concord: createRun + executeRun (kind "full") from the Dashboard while an in-process Worker
//   drains deliveries to the CMS; timed until the CMS holds n, and until the queue is empty (the CMS ids
//   written back to the Dashboard).
// BENCH_MODE=bare: page through the Dashboard API and POST each industry to the CMS API, same concurrency.
// BENCH_MODE=bare-fair: the writes Concord must make: read every page of the Dashboard, then per industry POST it to
//   the CMS and PATCH its cms_id back into the Dashboard, same concurrency (timed until both are done for all).
import { eq, sql } from "drizzle-orm";
import { runs as runsTable } from "~/server/db/schema";
import { queryRows } from "~/server/db";
import { Worker } from "~/server/engine/worker";
import { cliActor } from "~/server/services/actor";
import { createRun } from "~/server/services/runs/create-run";
import { decideHeldRun } from "~/server/services/runs/decide-held-run";
import { executeRun } from "~/server/services/runs/execute-run";
import { counterDelta, dbCounters } from "./lib/database";
import { dashboardCmsConfig, openBenchEngine, sampleOverrides } from "./lib/bench-engine";
import { emitResult, intEnv, progress, round, rssSampler, sleep } from "./lib/common";

const MODES = ["concord", "bare", "bare-fair", "dry-run"] as const;
const mode: (typeof MODES)[number] = MODES.find((m) => m === process.env.BENCH_MODE) ?? "concord";
const n = intEnv("BENCH_N", 10_000);
const concurrency = intEnv("BENCH_CONCURRENCY", 16);
const pageSize = intEnv("BENCH_PAGE_SIZE", 200);
const timeoutMs = intEnv("BENCH_TIMEOUT_MS", 60_000 + n * 3);
const samplesUrl = process.env.BENCH_SAMPLES_URL!;
const apiKey = process.env.BENCH_SAMPLES_KEY!;
const databaseUrl = process.env.BENCH_DB_URL!;

async function cmsCount(): Promise<number> {
  const res = await fetch(`${samplesUrl}/cms/_stats`);
  return ((await res.json()) as { count: number }).count;
}

export interface FullSyncResult {
  mode: "concord" | "bare" | "bare-fair" | "dry-run";
  n: number;
  /** Seconds until the CMS held n (or the timeout). */
  seconds: number;
  recordsPerSecond: number;
  cmsCount: number;
  complete: boolean;
  peakRssMb: number;
  startRssMb: number;
  /** Dry run: V8 heap in use after a full collection, before and after the run (what is retained, not headroom). */
  heapAfterGcMb?: { before: number; after: number };
  ingestSeconds?: number;
  ingestPerSecond?: number;
  drainedSeconds?: number;
  /** Created by the first run (the rest were skipped by the listing). */
  firstRunCreated?: number;
  runs?: Record<string, unknown>[];
  queue?: Record<string, number>;
  queries?: number;
  queryKinds?: Record<string, number>;
  http?: Record<string, { count: number; ms: number }>;
  xacts?: number;
}

const MAX_RUNS = 5;

async function concord(): Promise<FullSyncResult> {
  const { engine, meter, close } = await openBenchEngine({ databaseUrl, config: dashboardCmsConfig, overrides: sampleOverrides(samplesUrl, apiKey) });
  const worker = new Worker(engine, { concurrency });
  const waiting = async () =>
    (await queryRows<{ waiting: number }>(engine.db, sql`select count(*)::int as waiting from (select 1 from deliveries where status in ('pending', 'retrying', 'in_flight') limit 1) w`))[0]!.waiting;
  const before = await dbCounters(databaseUrl);
  global.gc?.();
  const rss = rssSampler();
  const startRssMb = process.memoryUsage().rss / 1024 / 1024;
  const deadline = Date.now() + timeoutMs;
  const t0 = performance.now();
  const elapsed = () => round((performance.now() - t0) / 1000, 1);

  // Watch the CMS fill up while runs and deliveries go on.
  let count = 0;
  let tCms: number | null = null;
  let watching = true;
  const watcher = (async () => {
    let lastTell = Date.now();
    while (watching && Date.now() < deadline) {
      count = await cmsCount();
      if (count >= n) {
        tCms = performance.now();
        return;
      }
      if (Date.now() - lastTell > 10_000) {
        lastTell = Date.now();
        progress(`  full sync ${n}: CMS holds ${count} after ${elapsed()} s (peak RSS so far ${round(rss.peakMb)} MB)`);
      }
      await sleep(100);
    }
  })();

  worker.start();
  const runs: Record<string, unknown>[] = [];
  let ingestSeconds: number | undefined;
  let drainedAt: number | null = null;
  while (runs.length < MAX_RUNS && Date.now() < deadline) {
    const runStart = performance.now();
    const run = await createRun(engine, { entity: "industry", system: "dashboard", kind: "full", trigger: "cli", startedBy: null });
    // Out of time: cancel the run (executeRun checks before every page).
    const cancel = setTimeout(() => {
      progress(`  full sync ${n}: out of time (${timeoutMs / 1000} s): cancelling the run`);
      void engine.db.update(runsTable).set({ status: "cancelled" }).where(eq(runsTable.id, run.id)).catch(() => undefined);
    }, Math.max(0, deadline - Date.now()));
    const row = await executeRun(engine, run.id, { pageSize });
    clearTimeout(cancel);
    if (runs.length === 0) ingestSeconds = (performance.now() - t0) / 1000;
    const held = (row.plan as { deleteCount?: number } | null)?.deleteCount;
    runs.push({ status: row.status, seconds: round((performance.now() - runStart) / 1000, 2), ...row.counts, ...(held ? { heldDeletes: held } : {}) });
    progress(`  full sync ${n}: run ${runs.length} ${row.status} at ${elapsed()} s, counts ${JSON.stringify(row.counts)}${held ? `, would delete ${held} records that still exist` : ""}`);
    // The listing missed linked documents, so the run inferred deletes; the guard held them. Refuse them.
    if (row.status === "awaiting-approval") await decideHeldRun({ engine, actor: cliActor("bench"), input: { runId: row.id, approve: false } });
    drainedAt = null;
    while (Date.now() < deadline) {
      if ((await waiting()) === 0) {
        drainedAt = performance.now();
        break;
      }
      await sleep(100);
    }
    count = await cmsCount();
    if (count >= n || drainedAt === null || row.status === "cancelled") break;
    progress(`  full sync ${n}: queue drained at ${elapsed()} s but the CMS holds ${count} of ${n}: the listing skipped documents; running again`);
  }
  watching = false;
  await watcher;
  count = await cmsCount();
  const tEnd = tCms ?? performance.now();
  const peakRssMb = rss.stop();
  await worker.stop();
  const queue = Object.fromEntries(
    (await queryRows<{ status: string; n: number }>(engine.db, sql`select status, count(*)::int as n from deliveries group by status`)).map((r) => [r.status, r.n]),
  );
  const m = meter.snapshot();
  await close();
  await sleep(1200); // pg_stat_database is flushed about once a second
  const delta = counterDelta(before, await dbCounters(databaseUrl));
  const seconds = (tEnd - t0) / 1000;
  const firstFetched = Number(runs[0]?.fetched ?? 0);
  return {
    mode,
    n,
    seconds: round(seconds, 2),
    recordsPerSecond: round(count / seconds),
    cmsCount: count,
    complete: count >= n,
    runs,
    peakRssMb: round(peakRssMb),
    startRssMb: round(startRssMb),
    ingestSeconds: ingestSeconds !== undefined ? round(ingestSeconds, 2) : undefined,
    ingestPerSecond: ingestSeconds !== undefined ? round(firstFetched / ingestSeconds) : undefined,
    firstRunCreated: Number(runs[0]?.created ?? 0),
    drainedSeconds: drainedAt !== null && count >= n ? round((drainedAt - t0) / 1000, 2) : undefined,
    queue,
    queries: m.queries,
    queryKinds: m.queryKinds,
    http: m.http,
    xacts: delta.xacts,
  };
}

/** A dry run reads and plans every page (batched reads, no writes): how reading a system streams. */
async function dryRun(): Promise<FullSyncResult> {
  const { engine, meter, close } = await openBenchEngine({ databaseUrl, config: dashboardCmsConfig, overrides: sampleOverrides(samplesUrl, apiKey) });
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed / 1024 / 1024;
  const rss = rssSampler();
  const startRssMb = process.memoryUsage().rss / 1024 / 1024;
  const t0 = performance.now();
  const run = await createRun(engine, { entity: "industry", system: "dashboard", kind: "dry-run", trigger: "cli", startedBy: null });
  const cancel = setTimeout(() => void engine.db.update(runsTable).set({ status: "cancelled" }).where(eq(runsTable.id, run.id)).catch(() => undefined), timeoutMs);
  const row = await executeRun(engine, run.id, { pageSize });
  clearTimeout(cancel);
  const seconds = (performance.now() - t0) / 1000;
  const peakRssMb = rss.stop();
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed / 1024 / 1024;
  const m = meter.snapshot();
  await close();
  return {
    mode,
    n,
    heapAfterGcMb: { before: round(heapBefore, 1), after: round(heapAfter, 1) },
    seconds: round(seconds, 2),
    recordsPerSecond: round(row.counts.fetched / seconds),
    cmsCount: 0,
    complete: row.status === "succeeded" && row.counts.fetched >= n,
    runs: [{ status: row.status, ...row.counts }],
    peakRssMb: round(peakRssMb),
    startRssMb: round(startRssMb),
    queries: m.queries,
    http: m.http,
  };
}

async function bare(): Promise<FullSyncResult> {
  global.gc?.();
  const rss = rssSampler();
  const startRssMb = process.memoryUsage().rss / 1024 / 1024;
  const t0 = performance.now();
  const dashboardAuth = { authorization: `Bearer ${apiKey}` };
  const cmsHeaders = { authorization: `users API-Key ${apiKey}`, "content-type": "application/json" };
  let posted = 0;
  let failed = 0;
  const deadline = Date.now() + timeoutMs;
  for (let page = 1; Date.now() < deadline; page++) {
    const res = await fetch(`${samplesUrl}/dashboard/api/industries?page=${page}&per_page=${pageSize}`, { headers: dashboardAuth });
    const body = (await res.json()) as { data: Record<string, unknown>[]; meta: { has_more: boolean } };
    const docs = body.data;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, docs.length) }, async () => {
        while (next < docs.length) {
          const d = docs[next++]!;
          const r = await fetch(`${samplesUrl}/cms/api/industries?depth=0`, {
            method: "POST",
            headers: cmsHeaders,
            body: JSON.stringify({ name: d.name, slug: d.slug, description: d.description, active: d.is_active }),
          });
          await r.text();
          if (r.ok) posted++;
          else failed++;
        }
      }),
    );
    if (!body.meta.has_more) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  const peakRssMb = rss.stop();
  const count = await cmsCount();
  if (failed) progress(`  bare copy: ${failed} POSTs failed`);
  return { mode, n, seconds: round(seconds, 2), recordsPerSecond: round(posted / seconds), cmsCount: count, complete: count >= n, peakRssMb: round(peakRssMb), startRssMb: round(startRssMb) };
}

/**
 * The fair bare copy: the same writes Concord makes (create in the CMS, then the CMS id written back to the
 * Dashboard), 16 at a time. It reads every page first: a write-back moves the document in the Dashboard's
 * (updated, id) order, so writing while paging by number would skip documents (Concord holds its write-backs
 * while it lists, for the same reason).
 */
async function bareFair(): Promise<FullSyncResult> {
  global.gc?.();
  const rss = rssSampler();
  const startRssMb = process.memoryUsage().rss / 1024 / 1024;
  const t0 = performance.now();
  const dashboardHeaders = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
  const cmsHeaders = { authorization: `users API-Key ${apiKey}`, "content-type": "application/json" };
  const docs: Record<string, unknown>[] = [];
  for (let page = 1; performance.now() - t0 < timeoutMs; page++) {
    const res = await fetch(`${samplesUrl}/dashboard/api/industries?page=${page}&per_page=${pageSize}`, { headers: dashboardHeaders });
    const body = (await res.json()) as { data: Record<string, unknown>[]; meta: { has_more: boolean } };
    docs.push(...body.data);
    if (!body.meta.has_more) break;
  }
  const deadline = t0 + timeoutMs;
  let done = 0;
  let failed = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < docs.length && performance.now() < deadline) {
        const d = docs[next++]!;
        const r = await fetch(`${samplesUrl}/cms/api/industries?depth=0`, {
          method: "POST",
          headers: cmsHeaders,
          body: JSON.stringify({ name: d.name, slug: d.slug, description: d.description, active: d.is_active }),
        });
        const created = (await r.json()) as { doc?: { id: unknown } };
        if (!r.ok || created.doc?.id === undefined) {
          failed++;
          continue;
        }
        const w = await fetch(`${samplesUrl}/dashboard/api/industries/${String(d.id)}`, { method: "PATCH", headers: dashboardHeaders, body: JSON.stringify({ cms_id: String(created.doc.id) }) });
        await w.text();
        if (w.ok) done++;
        else failed++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const peakRssMb = rss.stop();
  const count = await cmsCount();
  if (failed) progress(`  fair bare copy: ${failed} writes failed`);
  return { mode, n, seconds: round(seconds, 2), recordsPerSecond: round(done / seconds), cmsCount: count, complete: done >= n, peakRssMb: round(peakRssMb), startRssMb: round(startRssMb) };
}

const result = mode === "concord" ? await concord() : mode === "dry-run" ? await dryRun() : mode === "bare-fair" ? await bareFair() : await bare();
emitResult(result);
process.exit(0);
