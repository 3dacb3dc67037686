// The sample systems in a process of their own (`node --import tsx demo/main.ts`), so their memory and
// CPU are not counted as Concord's. Controlled over their `/_*` endpoints.
import { spawn, type ChildProcess } from "node:child_process";
import { freePort, progress, root, stopChild, waitUntil } from "./common";

export const SAMPLE_API_KEY = "bench-sample-key";

export type SampleKey = "dashboard" | "cms" | "lead-centre" | "onboarding" | "maintenance";

export interface SamplesProcess {
  url: string;
  apiKey: string;
  child: ChildProcess;
  /** `POST /{system}/_seed {generate}`: synthetic data (the Onboarding Portal's is a fleet: n vessels with their equipment, users and companies). */
  seed(system: SampleKey, generate: number): Promise<number>;
  count(system: SampleKey): Promise<number>;
  stats(system: SampleKey): Promise<{ count: number; requests: number; maxRequestsPerSecond: number; collections: Record<string, number> }>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Starts the sample systems with webhooks off (CONCORD_URL empty) and no demo data. */
export async function startSamplesProcess(): Promise<SamplesProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "demo/main.ts"], {
    cwd: root,
    env: { ...process.env, SAMPLE_PORT: String(port), SAMPLE_HOST: "127.0.0.1", CONCORD_URL: "", SAMPLE_SEED: "false", SAMPLE_API_KEY, SAMPLE_DATA_FILE: "" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  let stopping = false;
  child.once("exit", (code, signal) => {
    if (!stopping) progress(`sample systems (pid ${child.pid}) exited unexpectedly with ${signal ?? code}`);
  });
  const up = await waitUntil(async () => {
    if (child.exitCode !== null) throw new Error(`the sample systems exited with ${child.exitCode}`);
    try {
      return (await fetch(`${url}/_health`)).ok;
    } catch {
      return false;
    }
  }, 30_000, 100);
  if (!up) {
    await stopChild(child);
    throw new Error("the sample systems did not start within 30 s");
  }
  progress(`sample systems up on ${url} (pid ${child.pid})`);
  return {
    url,
    apiKey: SAMPLE_API_KEY,
    child,
    seed: async (system, generate) => {
      const r = await call<{ count: number }>(`${url}/${system}/_seed`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ generate }) });
      return r.count;
    },
    count: async (system) => (await call<{ count: number }>(`${url}/${system}/_stats`)).count,
    stats: (system) => call(`${url}/${system}/_stats`),
    reset: async () => {
      await call(`${url}/_reset`, { method: "POST" });
    },
    stop: () => {
      stopping = true;
      return stopChild(child);
    },
  };
}
