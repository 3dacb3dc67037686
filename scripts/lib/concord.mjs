// Shared by the demo and the end-to-end runner: build Concord when needed and start it.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "../..");
const bin = (name) => path.join(root, "node_modules/.bin", name);

function newestMtime(p) {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/** Builds the app unless a build newer than every source file is already there. */
export function buildIfStale({ force = false } = {}) {
  const buildId = path.join(root, ".next/BUILD_ID");
  const inputs = ["src", "next.config.mjs", "package.json", "postcss.config.mjs"].map((p) => path.join(root, p));
  const stale = force || !existsSync(buildId) || inputs.some((p) => existsSync(p) && newestMtime(p) > statSync(buildId).mtimeMs);
  if (!stale) return false;
  console.log("Building Concord (next build)…");
  const res = spawnSync(bin("next"), ["build"], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (res.status !== 0) throw new Error("next build failed");
  return true;
}

/** Runs the CLI with the given env; returns its output. */
export function runCli(args, env, input) {
  const res = spawnSync(bin("tsx"), ["src/cli/index.ts", ...args], { cwd: root, env: { ...process.env, ...env }, input, encoding: "utf8" });
  if (res.status !== 0) throw new Error(`concord ${args.join(" ")} failed:\n${res.stderr}`);
  return res.stdout;
}

export async function waitForHealth(url, { timeoutMs = 60_000, child } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return await res.json();
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Concord did not become healthy at ${url} within ${timeoutMs / 1000}s`);
}

/** Starts `next start` and resolves once /api/health answers 200. */
export async function startConcord({ port, env, stdio = "inherit", host, nodeArgs = [] }) {
  await assertPortFree(port);
  const args = ["start", "-p", String(port), ...(host ? ["-H", host] : [])];
  // nodeArgs (e.g. --cpu-prof for the bench) need node itself, not the .bin shim.
  const [cmd, argv] = nodeArgs.length ? [process.execPath, [...nodeArgs, path.join(root, "node_modules/next/dist/bin/next"), ...args]] : [bin("next"), args];
  const child = spawn(cmd, argv, {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PORT: String(port), ...env },
    stdio,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, { child });
  return { child, url };
}

export function stop(child) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.exitCode === null && child.kill("SIGKILL"), 5000).unref();
  });
}

/** A TCP port nobody listens on right now (for test servers, so parallel runs never collide). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Refuses to start a server on a port another process already uses (its health would answer for ours). */
export function assertPortFree(port) {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", () => reject(new Error(`port ${port} is already in use: stop what runs there or choose another port`)));
    srv.listen(port, () => srv.close(() => resolve()));
  });
}
