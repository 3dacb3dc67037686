import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { killChild } from "../../scripts/bench/lib/common";
import { until } from "./poll";

const root = path.resolve(__dirname, "../..");
const NEXT_BIN = path.join(root, "node_modules/next/dist/bin/next");

/** The build scripts/e2e.mjs and the demo use: made only when a source is newer than it (buildIfStale). */
export async function buildIfStale(): Promise<void> {
  const lib = (await import(pathToFileURL(path.join(root, "scripts/lib/concord.mjs")).href)) as { buildIfStale: () => boolean };
  lib.buildIfStale();
}

/** `next start` as one OS process (node itself, so a SIGKILL hits the server), restartable with the same env. */
export class NextServer {
  child: ChildProcess | null = null;
  log = "";
  constructor(
    readonly port: number,
    private env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(env: Record<string, string> = {}, timeoutMs = 90_000): Promise<void> {
    this.env = { ...this.env, ...env };
    const child = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(this.port), "-H", "127.0.0.1"], {
      cwd: root,
      env: { ...this.env, NEXT_TELEMETRY_DISABLED: "1", PORT: String(this.port) } as unknown as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    const keep = (d: Buffer) => (this.log = (this.log + d.toString("utf8")).slice(-20_000));
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    process.once("exit", () => child.exitCode === null && child.kill("SIGKILL"));
    const answers = async () => {
      if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${this.log}`);
      return fetch(`${this.url}/api/health`).then((r) => r.ok, () => false);
    };
    await until("next start to answer", answers, timeoutMs, 150).catch((err: unknown) => {
      throw err instanceof Error && err.message.startsWith("next start exited") ? err : new Error(`next start did not answer within ${timeoutMs / 1000} s:\n${this.log}`);
    });
  }

  /** SIGKILL (this child's own pid) and wait until it is gone. */
  async kill(): Promise<void> {
    await killChild(this.child);
  }

  async restart(env: Record<string, string> = {}): Promise<void> {
    await this.kill();
    await this.start(env);
  }
}

/** Signs in through Auth.js's credentials endpoints and returns the session cookie header. */
export async function signInCookie(url: string, email: string, password: string): Promise<string> {
  const csrfRes = await fetch(`${url}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const jar = new Map<string, string>();
  const take = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  };
  take(csrfRes);
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${url}/` }),
  });
  take(res);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in failed (${res.status})`);
  return cookie();
}
