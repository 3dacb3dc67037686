// The sample systems (Dashboard, CMS, Lead Centre, Onboarding and Maintenance Portals: demo/) in a process of their own, for the end-to-end
// runner: seeded with the demo data, their webhooks signed with the given secrets and sent to Concord.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { assertPortFree, root } from "./concord.mjs";

/** The sample systems, their secret's env name, and the Authorization header Concord sends them. */
const SYSTEMS = [
  { key: "dashboard", env: "DASHBOARD", auth: (apiKey) => `Bearer ${apiKey}` },
  { key: "cms", env: "CMS", auth: (apiKey) => `users API-Key ${apiKey}` },
  { key: "lead-centre", env: "LEAD_CENTRE", auth: (apiKey) => `Bearer ${apiKey}` },
  { key: "onboarding", env: "ONBOARDING", auth: (apiKey) => `Bearer ${apiKey}` },
  { key: "maintenance", env: "MAINTENANCE", auth: (apiKey) => `Bearer ${apiKey}` },
];

/** A webhook signing secret in the sample systems' (Standard Webhooks) format. */
export const whsec = () => `whsec_${randomBytes(24).toString("base64")}`;

/** A fresh secret per sample system, keyed by the env suffix (DASHBOARD, CMS, LEAD_CENTRE, ONBOARDING, MAINTENANCE). */
export const newSampleSecrets = () => Object.fromEntries(SYSTEMS.map((s) => [s.env, whsec()]));

/** CONCORD_SYSTEM_<KEY>_URL/_AUTH/_WEBHOOK_SECRET: Concord's connection to each sample system. */
export function sampleOverrides({ url, apiKey, secrets }) {
  const env = {};
  for (const s of SYSTEMS) {
    env[`CONCORD_SYSTEM_${s.env}_URL`] = `${url}/${s.key}`;
    env[`CONCORD_SYSTEM_${s.env}_AUTH`] = s.auth(apiKey);
    env[`CONCORD_SYSTEM_${s.env}_WEBHOOK_SECRET`] = secrets[s.env];
  }
  return env;
}

/**
 * Starts `node --import tsx demo/main.ts` on `port` and resolves once `/_health` answers, or rejects
 * (after stopping it) when it exits or does not answer within `timeoutMs`. No data file: every start is
 * the demo data set, fresh.
 */
export async function startSamples({ port, concordUrl, apiKey, secrets, stdio = ["ignore", "ignore", "inherit"], timeoutMs = 30_000 }) {
  await assertPortFree(port);
  const child = spawn(process.execPath, ["--import", "tsx", "demo/main.ts"], {
    cwd: root,
    stdio,
    env: {
      ...process.env,
      SAMPLE_PORT: String(port),
      SAMPLE_HOST: "127.0.0.1",
      SAMPLE_API_KEY: apiKey,
      SAMPLE_SEED: "true",
      SAMPLE_DATA_FILE: "",
      SAMPLE_SECRETS_FILE: "",
      CONCORD_URL: concordUrl,
      ...Object.fromEntries(SYSTEMS.map((s) => [`SAMPLE_SECRET_${s.env}`, secrets[s.env]])),
    },
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the sample systems exited with ${child.signalCode ?? child.exitCode}`);
    try {
      if ((await fetch(`${url}/_health`)).ok) return { child, url };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  child.kill("SIGKILL");
  throw new Error(`the sample systems did not answer at ${url} within ${timeoutMs / 1000}s`);
}
