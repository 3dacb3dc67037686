// End-to-end tests: build, start the sample systems (Dashboard, CMS, Lead Centre) with the demo data and
// Concord wired to them on a fresh database (PGlite, or Postgres with TEST_DATABASE_URL), create the test
// users, run Playwright in Debian's chromium, stop everything. Every port is free-picked and every secret
// made for this run, so parallel runs never meet.
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { buildIfStale, freePort, root, runCli, startConcord, stop } from "./lib/concord.mjs";
import { newSampleSecrets, sampleOverrides, startSamples } from "./lib/samples.mjs";

const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
if (!existsSync(chromium)) {
  const how = "Install Debian's chromium (`sudo apt-get install -y chromium`) or set CHROMIUM_PATH.";
  if (process.env.CI === "true") {
    console.error(`e2e: no browser at ${chromium}. ${how}`);
    process.exit(1);
  }
  console.warn(`e2e: SKIPPED — no browser at ${chromium}. ${how}`);
  process.exit(0);
}

const users = {
  E2E_ADMIN_EMAIL: "admin@concord.test",
  E2E_ADMIN_PASSWORD: "admin-password-123",
  E2E_VIEWER_EMAIL: "viewer@concord.test",
  E2E_VIEWER_PASSWORD: "viewer-password-123",
};
// Concord's port comes first: the sample systems send their webhooks to it.
const port = Number(process.env.E2E_PORT || (await freePort()));
let samplePort = await freePort();
while (samplePort === port) samplePort = await freePort();
const sampleApiKey = "sample-key";
const sampleSecrets = newSampleSecrets();
const tmp = mkdtempSync(path.join(tmpdir(), "concord-e2e-"));
let dbName = null;
const env = {
  AUTH_SECRET: randomBytes(32).toString("base64"),
  CONCORD_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
  ADMIN_EMAIL: users.E2E_ADMIN_EMAIL,
  ADMIN_PASSWORD: users.E2E_ADMIN_PASSWORD,
  LOG_LEVEL: process.env.LOG_LEVEL || "warn",
  NODE_ENV: "production",
};

if (process.env.TEST_DATABASE_URL) {
  dbName = `concord_e2e_${randomBytes(5).toString("hex")}`;
  const admin = postgres(process.env.TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${dbName}`);
  await admin.end();
  const url = new URL(process.env.TEST_DATABASE_URL);
  url.pathname = `/${dbName}`;
  env.DATABASE_URL = url.toString();
} else {
  env.PGLITE_DIR = path.join(tmp, "pglite");
}

let server;
let samples;
let status = 1;
try {
  buildIfStale();
  runCli(["admin", "create", "--email", users.E2E_VIEWER_EMAIL, "--role", "viewer"], env, `${users.E2E_VIEWER_PASSWORD}\n`);
  samples = await startSamples({ port: samplePort, concordUrl: `http://127.0.0.1:${port}`, apiKey: sampleApiKey, secrets: sampleSecrets });
  Object.assign(env, sampleOverrides({ url: samples.url, apiKey: sampleApiKey, secrets: sampleSecrets }));
  server = await startConcord({ port, env, host: "127.0.0.1" });
  const res = spawnSync(path.join(root, "node_modules/.bin/playwright"), ["test", ...process.argv.slice(2)], {
    cwd: root,
    stdio: "inherit",
    // The Dashboard's webhook secret: a spec signs a webhook of its own with it (one the Dashboard would not send).
    env: { ...process.env, ...users, E2E_BASE_URL: server.url, E2E_SAMPLES_URL: samples.url, E2E_DASHBOARD_WEBHOOK_SECRET: sampleSecrets.DASHBOARD, CHROMIUM_PATH: chromium },
  });
  status = res.status ?? 1;
} catch (err) {
  console.error(`e2e: ${err instanceof Error ? err.message : err}`);
} finally {
  await Promise.all([stop(server?.child), stop(samples?.child)]);
  if (dbName) {
    const admin = postgres(process.env.TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(status);
