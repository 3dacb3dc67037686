// The processes of a trial: the sample systems, Concord (`next start`, in-process workers) and standalone
// workers (`src/cli/worker.ts`), each restartable after a SIGKILL. Output goes to one log file per trial.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import path from "node:path";
import { freePort, killChild } from "../bench/lib/common";

export { freePort };

export const root = path.resolve(import.meta.dirname, "../..");
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function progress(msg: string): void {
  process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

/** `next build` unless the build is newer than every source (scripts/lib/concord.mjs buildIfStale). */
export function buildIfStale(): void {
  const res = spawnSync(process.execPath, ["--input-type=module", "-e", "const m = await import('./scripts/lib/concord.mjs'); m.buildIfStale();"], { cwd: root, stdio: "inherit" });
  if (res.status !== 0) throw new Error("next build failed");
}

async function waitOk(url: string, child: ChildProcess, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited with ${child.signalCode ?? child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  throw new Error(`${what} did not answer at ${url} within ${timeoutMs / 1000} s`);
}

/** A process that can be SIGKILLed and started again with the same command. */
export class Proc {
  child: ChildProcess | null = null;
  starts = 0;
  constructor(
    readonly name: string,
    private readonly argv: string[],
    private readonly env: Record<string, string>,
    private readonly log: WriteStream,
    private readonly healthUrl: string | null,
  ) {}

  async start(timeoutMs = 120_000): Promise<void> {
    const t0 = Date.now();
    const child = spawn(process.execPath, this.argv, { cwd: root, env: { ...process.env, ...this.env }, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    this.starts++;
    const tag = `[${this.name}#${this.starts}] `;
    const pipe = (d: Buffer) => this.log.write(d.toString("utf8").replace(/^(?=.)/gm, tag));
    child.stdout?.on("data", pipe);
    child.stderr?.on("data", pipe);
    if (this.healthUrl) await waitOk(this.healthUrl, child, timeoutMs, this.name);
    this.log.write(`${tag}started (pid ${child.pid}) in ${Date.now() - t0} ms\n`);
  }

  /** SIGKILL (by this child's own pid) and wait for it to be gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await killChild(child);
    this.log.write(`[${this.name}#${this.starts}] SIGKILLed\n`);
  }

  /** SIGTERM, then SIGKILL after a grace period. */
  async stop(graceMs = 5_000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await gone;
    clearTimeout(timer);
  }
}

export function openLog(file: string): WriteStream {
  return createWriteStream(file, { flags: "a" });
}

const NEXT_BIN = path.join(root, "node_modules/next/dist/bin/next");

export const samplesProc = (env: Record<string, string>, port: number, log: WriteStream) =>
  new Proc("samples", ["--import", "tsx", "demo/main.ts"], env, log, `http://127.0.0.1:${port}/_health`);
export const serverProc = (env: Record<string, string>, port: number, log: WriteStream) =>
  new Proc("server", [NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"], env, log, `http://127.0.0.1:${port}/api/health`);
export const workerProc = (env: Record<string, string>, i: number, log: WriteStream) => new Proc(`worker-${i}`, ["--import", "tsx", "src/cli/worker.ts"], env, log, null);

/** `concord run` in direct mode (no deliveries: the running server and workers send them). */
export function catchUpRun(env: Record<string, string>, system: string, kind: "full" | "incremental"): { ok: boolean; output: string } {
  const res = spawnSync(process.execPath, ["--import", "tsx", "src/cli/index.ts", "run", "--entity", "industry", "--system", system, "--kind", kind, "--no-deliver"], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { ok: res.status === 0, output: `${res.stdout ?? ""}${res.stderr ?? ""}`.trim() };
}

export interface Ticker {
  stop(): Promise<void>;
}

/**
 * What a serverless host's cron does: GET /api/cron/tick with the secret, every `everyMs` (Vercel's cron
 * calls once a minute; a trial ticks more often to stay short). A tick that fails (the server is being
 * killed or restarted) is simply missed, as a real cron's would be.
 */
export function ticker(url: string, secret: string, everyMs: number): Ticker {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const t0 = Date.now();
      await fetch(url, { headers: { authorization: `Bearer ${secret}` } }).then((r) => r.arrayBuffer(), () => null);
      await sleep(Math.max(0, t0 + everyMs - Date.now()));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
