// Webhook ingest scenario: `next start` (built if stale) on a fresh Postgres database, loaded through
// POST /api/webhooks/dashboard with 50 keep-alive connections; beside a bare node:http server that
// verifies the same signature and inserts one row per request into the same database.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import postgres from "postgres";
import { generateWebhookSecret } from "~/sync/signature";
import { BENCH_ENCRYPTION_KEY } from "../lib/bench-engine";
import { freePort, intEnv, progress, QUICK, root, round, stopChild, waitUntil } from "../lib/common";
import { counterDelta, createBenchDb, dbCounters } from "../lib/database";
import { runLoad, type LoadResult } from "../lib/load";
import { nextRouteIngest } from "../lib/next-ingest";
import { pgliteIngest } from "../lib/pglite-ingest";
import type { Row } from "../lib/table";

interface ConcordLib {
  startConcord(opts: { port: number; env: Record<string, string>; stdio: unknown; nodeArgs?: string[] }): Promise<{ child: ChildProcess; url: string }>;
}

const connections = intEnv("BENCH_CONNECTIONS", 50);
const durationMs = intEnv("BENCH_INGEST_SECONDS", QUICK ? 4 : 10) * 1000;
const warmupMs = QUICK ? 1000 : 2000;

async function tableCounts(url: string): Promise<Record<string, number>> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ status: string; n: number }[]>`select status, count(*)::int as n from webhook_events group by status`;
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  } catch {
    return {};
  } finally {
    await sql.end();
  }
}

/** Concord's systems for the run: the CMS and Lead Centre paused, so no delivery is attempted meanwhile. */
async function pauseTargets(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`insert into systems (key, paused_until) values ('cms', now() + interval '1 hour'), ('lead-centre', now() + interval '1 hour')
              on conflict (key) do update set paused_until = excluded.paused_until`;
  } finally {
    await sql.end();
  }
}

async function concordIngest(lib: ConcordLib, secret: string, runWorkers: boolean): Promise<{ load: LoadResult; events: Record<string, number>; xactsPerRequest: number }> {
  const db = await createBenchDb(runWorkers ? "ingestw" : "ingest");
  await pauseTargets(db.url);
  const port = await freePort();
  const logFile = path.join(tmpdir(), `concord-bench-next-${port}.log`);
  const fd = openSync(logFile, "w");
  let child: ChildProcess | null = null;
  try {
    const started = await lib.startConcord({
      port,
      // BENCH_CPU_PROF_DIR: the Next server writes a V8 CPU profile there when it exits.
      nodeArgs: process.env.BENCH_CPU_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [],
      stdio: ["ignore", fd, fd],
      env: {
        DATABASE_URL: db.url,
        AUTH_SECRET: "bench-only-auth-secret-not-used-for-anything-0123456789",
        CONCORD_ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY,
        CONCORD_SYSTEM_DASHBOARD_WEBHOOK_SECRET: secret,
        RUN_WORKERS: String(runWorkers),
        WEBHOOK_RATE_PER_SECOND: "100000",
        LOG_LEVEL: "warn",
      },
    });
    child = started.child;
    progress(`  next start on ${started.url} (RUN_WORKERS=${runWorkers}, log ${logFile}); ${connections} connections for ${durationMs / 1000} s`);
    const before = await dbCounters(db.url);
    const load = await runLoad({ url: `${started.url}/api/webhooks/dashboard`, secret, connections, durationMs, warmupMs });
    const events = await tableCounts(db.url);
    await new Promise((r) => setTimeout(r, 1200)); // pg_stat_database is flushed about once a second
    const delta = counterDelta(before, await dbCounters(db.url));
    const stored = Object.values(events).reduce((a, b) => a + b, 0);
    const xactsPerRequest = round(delta.xacts / Math.max(1, stored), 1);
    progress(`  Concord (RUN_WORKERS=${runWorkers}): ${load.perSecond} req/s, p50 ${load.p50} ms, p99 ${load.p99} ms, statuses ${JSON.stringify(load.statuses)}; webhook_events ${JSON.stringify(events)}; ${xactsPerRequest} db transactions per stored webhook (warm-up to now)`);
    return { load, events, xactsPerRequest };
  } finally {
    await stopChild(child);
    closeSync(fd);
    await db.drop();
  }
}

async function bareIngest(secret: string): Promise<LoadResult> {
  const db = await createBenchDb("ingestbare");
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/bench/bare-ingest-server.ts"], {
    cwd: root,
    env: { ...process.env, BENCH_DB_URL: db.url, BENCH_SECRET: secret },
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    let port = 0;
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (d: string) => {
      const m = /READY (\d+)/.exec(d);
      if (m) port = Number(m[1]);
    });
    if (!(await waitUntil(() => port > 0 || child.exitCode !== null, 30_000, 50)) || !port) throw new Error("the bare ingest server did not start");
    const load = await runLoad({ url: `http://127.0.0.1:${port}/api/webhooks/dashboard`, secret, connections, durationMs, warmupMs });
    progress(`  bare node:http: ${load.perSecond} req/s, p50 ${load.p50} ms, p99 ${load.p99} ms, statuses ${JSON.stringify(load.statuses)}`);
    return load;
  } finally {
    await stopChild(child);
    await db.drop();
  }
}

export async function ingestScenario(): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  progress(`webhook ingest: POST /api/webhooks/dashboard, ${connections} connections`);
  const libUrl = pathToFileURL(path.join(root, "scripts/lib/concord.mjs")).href;
  const lib = (await import(libUrl)) as ConcordLib;
  // Build when stale, in a child whose output goes to stderr (stdout is for the table only).
  const t = Date.now();
  const build = spawnSync(process.execPath, ["--input-type=module", "-e", `const m = await import(${JSON.stringify(libUrl)}); process.exit(m.buildIfStale() ? 10 : 0);`], {
    cwd: root,
    stdio: ["ignore", 2, 2],
  });
  if (build.status === 10) progress(`  built Concord in ${Math.round((Date.now() - t) / 1000)} s`);
  else if (build.status !== 0) throw new Error("next build failed");
  const secret = generateWebhookSecret();
  const bare = await bareIngest(secret);
  let nextRoute: LoadResult | null = null;
  try {
    nextRoute = await nextRouteIngest({ secret, connections, durationMs, warmupMs });
  } catch (err) {
    progress(`  minimal Next route handler failed: ${(err as Error).message}`);
  }
  const noWorkers = await concordIngest(lib, secret, false);
  const withWorkers = await concordIngest(lib, secret, true);
  let onPglite: LoadResult | null = null;
  try {
    onPglite = await pgliteIngest(lib, { secret, connections, durationMs, warmupMs });
  } catch (err) {
    progress(`  Concord on PGlite failed: ${(err as Error).message}`);
  }
  const rows: Row[] = [];
  const versus = nextRoute ? "minimal Next route" : "minimal Next route: FAILED";
  for (const [label, r] of [
    ["RUN_WORKERS=false", noWorkers],
    ["RUN_WORKERS=true", withWorkers],
  ] as const) {
    const errors = r.load.errors ? ` [${r.load.errors} non-2xx]` : "";
    // The targets are against the minimal Next route handler; the bare node:http server is the absolute limit.
    rows.push({
      scenario: `ingest req/s, ${connections} conns (${label})${errors}, vs ${versus}`,
      concord: r.load.perSecond,
      baseline: nextRoute?.perSecond ?? null,
      target: "≥ 0.6× Next route",
      met: nextRoute ? r.load.perSecond >= 0.6 * nextRoute.perSecond && r.load.errors === 0 : null,
    });
    rows.push({
      scenario: `ingest p99 ms (${label}), vs ${versus}`,
      concord: r.load.p99,
      baseline: nextRoute?.p99 ?? null,
      target: "≤ 2× Next route",
      met: nextRoute ? r.load.p99 <= 2 * nextRoute.p99 : null,
    });
    rows.push({ scenario: `ingest req/s (${label}), vs bare node:http (absolute limit)`, concord: r.load.perSecond, baseline: bare.perSecond, target: "—", met: null });
    rows.push({ scenario: `ingest p50 / p99 ms (${label}), p50 vs bare node:http`, concord: r.load.p50, baseline: bare.p50, target: "—", met: null });
  }
  rows.push({
    scenario: `ingest req/s on PGlite (RUN_WORKERS=false)${onPglite ? "" : ": FAILED"}, vs ${versus}`,
    concord: onPglite?.perSecond ?? null,
    baseline: nextRoute?.perSecond ?? null,
    target: "— (beside Postgres)",
    met: null,
  });
  rows.push({ scenario: "ingest p99 ms on PGlite (RUN_WORKERS=false)", concord: onPglite?.p99 ?? null, baseline: nextRoute?.p99 ?? null, target: "—", met: null });
  return { rows, details: { bare, nextRoute, onPglite, noWorkers, withWorkers, connections, seconds: durationMs / 1000, ratioNoWorkers: round(noWorkers.load.perSecond / bare.perSecond, 2) } };
}
