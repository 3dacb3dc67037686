// `npm run demo`: build if needed, start the sample systems (Dashboard, CMS, Lead Centre, Onboarding and
// Maintenance Portals) and Concord
// wired to them on embedded PGlite (.data/pglite), then print where to go and how to sign in.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildIfStale, root, startConcord, stop } from "./lib/concord.mjs";
import { demoEnv } from "./lib/demo-env.mjs";

const dataDir = path.join(root, ".data");
mkdirSync(dataDir, { recursive: true });
const whsec = () => `whsec_${randomBytes(24).toString("base64")}`;

/** Secrets for this machine's demo, made once and kept in .data/ so sessions and links survive a restart. */
function demoSecrets() {
  const file = path.join(dataDir, "demo-secrets.json");
  const saved = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const secrets = {
    AUTH_SECRET: randomBytes(32).toString("base64"),
    CONCORD_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    SAMPLE_SECRET_DASHBOARD: whsec(),
    SAMPLE_SECRET_CMS: whsec(),
    SAMPLE_SECRET_LEAD_CENTRE: whsec(),
    SAMPLE_SECRET_ONBOARDING: whsec(),
    SAMPLE_SECRET_MAINTENANCE: whsec(),
    // The first admin's password, made on the first start (unless ADMIN_PASSWORD is set) and printed each start.
    // A demo started before this was kept made its admin with the old fixed password: that one still signs in.
    ADMIN_PASSWORD: existsSync(file) ? "concord-demo" : randomBytes(12).toString("base64url"),
    ...saved,
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

const port = Number(process.env.PORT || 3000);
const samplePort = Number(process.env.SAMPLE_PORT || 4000);
const sampleKey = process.env.SAMPLE_API_KEY || "sample-key";
const secrets = demoSecrets();
const samplesUrl = `http://127.0.0.1:${samplePort}`;
const { host, admin, env, fromUser } = demoEnv({
  processEnv: process.env,
  secrets,
  samplesUrl,
  sampleKey,
  pgliteDir: process.env.PGLITE_DIR || path.join(dataDir, "pglite"),
});

buildIfStale();

const samples = spawn(process.execPath, ["--import", "tsx", "demo/main.ts"], {
  cwd: root,
  stdio: ["ignore", "inherit", "inherit"],
  env: {
    ...process.env,
    SAMPLE_PORT: String(samplePort),
    SAMPLE_API_KEY: sampleKey,
    CONCORD_URL: `http://127.0.0.1:${port}`,
    SAMPLE_DATA_FILE: path.join(dataDir, "sample-systems.json"),
    SAMPLE_SECRET_DASHBOARD: secrets.SAMPLE_SECRET_DASHBOARD,
    SAMPLE_SECRET_CMS: secrets.SAMPLE_SECRET_CMS,
    SAMPLE_SECRET_LEAD_CENTRE: secrets.SAMPLE_SECRET_LEAD_CENTRE,
    SAMPLE_SECRET_ONBOARDING: secrets.SAMPLE_SECRET_ONBOARDING,
    SAMPLE_SECRET_MAINTENANCE: secrets.SAMPLE_SECRET_MAINTENANCE,
  },
});

let concord;
const shutdown = async (code = 0) => {
  await stop(concord?.child);
  await stop(samples);
  process.exit(code);
};
process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));
samples.on("exit", (code) => code && shutdown(code));

try {
  concord = await startConcord({ port, env, host });
} catch (err) {
  console.error(`Concord did not start: ${err instanceof Error ? err.message : err}`);
  await shutdown(1);
}
concord.child.on("exit", (code) => shutdown(code ?? 1));
const where = host === "127.0.0.1" ? `http://127.0.0.1:${port} (this machine only; HOST=0.0.0.0 to listen on every interface)` : `http://${host}:${port}`;
const yours = fromUser.length
  ? `\n  Your CONCORD_SYSTEM_* settings win over the sample wiring for: ${fromUser.join(", ")}\n`
  : "";
console.log(`
  Concord is running at ${where}
  Sign in as ${admin.email} / ${admin.password}
  (that admin is created on the first start; later starts keep the admins you have${admin.generated ? ` — the password was generated for this\n  machine and is kept in ${path.join(dataDir, "demo-secrets.json")}; ADMIN_PASSWORD sets your own` : ""})
${yours}
  Sample systems: Dashboard ${samplesUrl}/dashboard/ · CMS ${samplesUrl}/cms/ · Lead Centre ${samplesUrl}/lead-centre/
                  Onboarding Portal ${samplesUrl}/onboarding/ · Maintenance Portal ${samplesUrl}/maintenance/
  Edit an industry in the sample Dashboard and watch it reach the CMS and the Lead Centre.
  Approve a vessel in the Onboarding Portal and watch it reach the Maintenance Portal.

  Data: ${env.PGLITE_DIR} (embedded PGlite — for trying Concord and small sites; production runs on Postgres)
  Stop with Ctrl+C.
`);
