// Webhook ingest on embedded PGlite (the single-site default), beside the Postgres figures: the folder is made and
// migrated here with the CMS and Lead Centre paused (as on Postgres), then `next start` opens it (one process).
import type { ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDb } from "~/server/db/client";
import { BENCH_ENCRYPTION_KEY } from "./bench-engine";
import { freePort, progress, stopChild } from "./common";
import { runLoad, type LoadResult } from "./load";

interface ConcordLib {
  startConcord(opts: { port: number; env: Record<string, string>; stdio: unknown; nodeArgs?: string[] }): Promise<{ child: ChildProcess; url: string }>;
}

export async function pgliteIngest(lib: ConcordLib, opts: { secret: string; connections: number; durationMs: number; warmupMs: number }): Promise<LoadResult> {
  const dir = mkdtempSync(path.join(tmpdir(), "concord-bench-ingest-pglite-"));
  const dataDir = path.join(dir, "pglite");
  const handle = await openDb({ pgliteDir: dataDir });
  try {
    await handle.migrate();
    await handle.db.execute(sql`insert into systems (key, paused_until) values ('cms', now() + interval '1 hour'), ('lead-centre', now() + interval '1 hour')
              on conflict (key) do update set paused_until = excluded.paused_until`);
  } finally {
    await handle.close();
  }
  const port = await freePort();
  const logFile = path.join(tmpdir(), `concord-bench-next-pglite-${port}.log`);
  const fd = openSync(logFile, "w");
  let child: ChildProcess | null = null;
  try {
    const started = await lib.startConcord({
      port,
      stdio: ["ignore", fd, fd],
      env: {
        DATABASE_URL: "",
        PGLITE_DIR: dataDir,
        AUTH_SECRET: "bench-only-auth-secret-not-used-for-anything-0123456789",
        CONCORD_ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY,
        CONCORD_SYSTEM_DASHBOARD_WEBHOOK_SECRET: opts.secret,
        RUN_WORKERS: "false",
        WEBHOOK_RATE_PER_SECOND: "100000",
        LOG_LEVEL: "warn",
      },
    });
    child = started.child;
    const load = await runLoad({ url: `${started.url}/api/webhooks/dashboard`, ...opts });
    progress(`  Concord on PGlite (RUN_WORKERS=false): ${load.perSecond} req/s, p50 ${load.p50} ms, p99 ${load.p99} ms, statuses ${JSON.stringify(load.statuses)} (log ${logFile})`);
    return load;
  } finally {
    await stopChild(child);
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}
