// The ingest scenario's second baseline: a minimal Next app (scripts/bench/next-ingest, one route handler that
// verifies the same signature and inserts one row), built here with the same Next version as Concord and started
// with `next start` on a database of its own on the same server.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { freePort, progress, root, stopChild, waitUntil } from "./common";
import { createBenchDb } from "./database";
import { runLoad, type LoadResult } from "./load";

export async function nextRouteIngest(opts: { secret: string; connections: number; durationMs: number; warmupMs: number }): Promise<LoadResult> {
  const dir = path.join(root, "scripts/bench/next-ingest");
  const next = path.join(root, "node_modules/next/dist/bin/next");
  const t = Date.now();
  // Run from the app's own folder: from the repository's root, Next's build finds Concord's src/instrumentation.ts.
  const build = spawnSync(process.execPath, [next, "build"], { cwd: dir, stdio: ["ignore", 2, 2], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (build.status !== 0) throw new Error("next build of the minimal route handler failed");
  progress(`  built the minimal Next route handler in ${Math.round((Date.now() - t) / 1000)} s`);
  const db = await createBenchDb("ingestnext");
  const port = await freePort();
  const prof = process.env.BENCH_CPU_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
  const child = spawn(process.execPath, [...prof, next, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: dir,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", BENCH_DB_URL: db.url, BENCH_SECRET: opts.secret },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    const url = `http://127.0.0.1:${port}/api/webhooks/dashboard`;
    // Up once an unsigned POST is refused (401) by the route itself.
    const up = await waitUntil(async () => (await fetch(url, { method: "POST", body: "{}" }).then((r) => r.status, () => 0)) === 401 || child.exitCode !== null, 60_000, 200);
    if (!up || child.exitCode !== null) throw new Error("the minimal Next route handler did not start");
    const load = await runLoad({ url, secret: opts.secret, connections: opts.connections, durationMs: opts.durationMs, warmupMs: opts.warmupMs });
    progress(`  minimal Next route handler: ${load.perSecond} req/s, p50 ${load.p50} ms, p99 ${load.p99} ms, statuses ${JSON.stringify(load.statuses)}`);
    return load;
  } finally {
    await stopChild(child);
    await db.drop();
  }
}
