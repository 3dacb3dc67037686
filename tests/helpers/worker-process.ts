import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { SampleSystems } from "../../demo/server";
import { TEST_ENCRYPTION_KEY } from "./engine";
import { until } from "./poll";

const root = path.resolve(__dirname, "../..");

/** Env that points a separate Concord process at the sample systems and at this test's database. */
export function workerEnv(samples: SampleSystems, db: { url: string | null; pgliteDir?: string }, extra: Record<string, string> = {}) {
  return {
    PATH: process.env.PATH!,
    NODE_ENV: "test",
    LOG_LEVEL: process.env.WORKER_LOG_LEVEL ?? "warn",
    CONCORD_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    WORKER_LEASE_MS: "2000",
    WORKER_CONCURRENCY: "8",
    ...(db.url ? { DATABASE_URL: db.url } : { PGLITE_DIR: db.pgliteDir! }),
    CONCORD_SYSTEM_DASHBOARD_URL: `${samples.url}/dashboard`,
    CONCORD_SYSTEM_DASHBOARD_AUTH: `Bearer ${samples.apiKey}`,
    CONCORD_SYSTEM_CMS_URL: `${samples.url}/cms`,
    CONCORD_SYSTEM_CMS_AUTH: `users API-Key ${samples.apiKey}`,
    CONCORD_SYSTEM_LEAD_CENTRE_URL: `${samples.url}/lead-centre`,
    CONCORD_SYSTEM_LEAD_CENTRE_AUTH: `Bearer ${samples.apiKey}`,
    ...extra,
  };
}

const children = new Set<ChildProcess>();
let reaping = false;

/** A failed test must not leave worker processes behind: kill whatever is still running when the test process ends. */
function reapOnExit(): void {
  if (reaping) return;
  reaping = true;
  process.once("exit", () => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  });
}

/** `npm run worker` as one OS process (node --import tsx, so SIGKILL hits the worker itself). */
export function spawnWorker(env: Record<string, string>): ChildProcess {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/cli/worker.ts"], { cwd: root, env: env as unknown as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  child.once("exit", () => children.delete(child));
  reapOnExit();
  child.stderr?.on("data", (d: Buffer) => process.stderr.write(`[worker ${child.pid}] ${d}`));
  child.stdout?.on("data", (d: Buffer) => process.stderr.write(`[worker ${child.pid}] ${d}`));
  return child;
}

export function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once("exit", (code) => r(code)));
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  await until(what, check, timeoutMs, 100);
}
