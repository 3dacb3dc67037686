// Shared pieces of the benchmark: settings from env, progress lines, percentiles, the RSS sampler,
// child processes that hand back one JSON result, free ports, bounded waits.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "../../..");

export const QUICK = /^(1|true|yes)$/i.test(process.env.BENCH_QUICK ?? "");
export const DATABASE_URL = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";

/** Progress goes to stderr; only the final table goes to stdout. */
export function progress(msg: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return Math.floor(n);
}

export function listEnv(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (!raw) return fallback;
  return raw.split(",").map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a comma-separated list of positive integers`);
    return n;
  });
}

/** The p-th percentile (0..100) of unsorted values, nearest-rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** Samples this process's resident set size every 100 ms; `peak` is the highest seen. */
export function rssSampler(): { readonly peakMb: number; stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  timer.unref();
  return {
    get peakMb() {
      return Math.max(peak, process.memoryUsage().rss) / 1024 / 1024;
    },
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return peak / 1024 / 1024;
    },
  };
}

const RESULT_PREFIX = "BENCH_RESULT ";

/** A child scenario hands its figures back as one line on stdout. */
export function emitResult(result: unknown): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

/**
 * Runs `node --import tsx <script>` and resolves with the JSON it emitted. Its stderr is passed
 * through; the child is killed (by its own pid) if it runs past `timeoutMs`.
 */
export function runChild<T>(script: string, env: Record<string, string>, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    // --expose-gc: a child can collect before and after its work, to tell retained memory from heap headroom.
    // BENCH_CPU_PROF_DIR: the child writes a V8 CPU profile there when it exits, as the delivery workers do.
    const prof = process.env.BENCH_CPU_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
    const child = spawn(process.execPath, ["--expose-gc", ...prof, "--import", "tsx", script], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    let result: T | undefined;
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d: string) => {
      out += d;
      let nl: number;
      while ((nl = out.indexOf("\n")) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length)) as T;
        else if (line.trim()) process.stderr.write(`  ${line}\n`);
      }
    });
    const timer = setTimeout(() => {
      progress(`${path.basename(script)} ran past ${Math.round(timeoutMs / 1000)} s: stopping it`);
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (result !== undefined) resolve(result);
      else reject(new Error(`${path.basename(script)} exited with ${signal ?? code} and no result`));
    });
  });
}

/** Stops a child this benchmark started (SIGTERM, then SIGKILL after a grace period). */
export function stopChild(child: ChildProcess | null | undefined, graceMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }, graceMs).unref();
  });
}

/** SIGKILLs a child (by its own pid) and resolves once it is gone: a crash, as a test or the chaos suite makes one. */
export async function killChild(child: ChildProcess | null | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await gone;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `check` every `everyMs` until it returns true; false when `timeoutMs` passes first. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(everyMs);
  }
  return check();
}

export const round = (n: number, digits = 0) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : n);
