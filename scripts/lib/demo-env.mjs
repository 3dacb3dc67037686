// What `npm run demo` starts Concord with, as a pure function of the user's environment and the demo's
// saved secrets (so a test can check it without building): where it listens, the admin, and each system's
// connection — the sample systems' unless the user exported their own CONCORD_SYSTEM_<KEY>_*.

/** The sample systems by env key, and the Authorization header Concord sends each. */
const SAMPLE_SYSTEMS = [
  { key: "dashboard", env: "DASHBOARD", auth: (apiKey) => `Bearer ${apiKey}` },
  { key: "cms", env: "CMS", auth: (apiKey) => `users API-Key ${apiKey}` },
  { key: "lead-centre", env: "LEAD_CENTRE", auth: (apiKey) => `Bearer ${apiKey}` },
  { key: "onboarding", env: "ONBOARDING", auth: (apiKey) => `Bearer ${apiKey}` },
  { key: "maintenance", env: "MAINTENANCE", auth: (apiKey) => `Bearer ${apiKey}` },
];
const PARTS = ["URL", "AUTH", "WEBHOOK_SECRET"];

/**
 * @param {{ processEnv: Record<string, string | undefined>, secrets: Record<string, string>, samplesUrl: string, sampleKey: string, pgliteDir: string }} o
 * @returns {{ host: string, admin: { email: string, password: string, generated: boolean }, env: Record<string, string>, fromUser: string[] }}
 */
export function demoEnv({ processEnv, secrets, samplesUrl, sampleKey, pgliteDir }) {
  const host = processEnv.HOST || "127.0.0.1";
  const admin = {
    email: processEnv.ADMIN_EMAIL || "admin@concord.local",
    password: processEnv.ADMIN_PASSWORD || secrets.ADMIN_PASSWORD,
    generated: !processEnv.ADMIN_PASSWORD,
  };
  const env = {
    AUTH_SECRET: processEnv.AUTH_SECRET || secrets.AUTH_SECRET,
    CONCORD_ENCRYPTION_KEY: processEnv.CONCORD_ENCRYPTION_KEY || secrets.CONCORD_ENCRYPTION_KEY,
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    PGLITE_DIR: pgliteDir,
    DATABASE_URL: "",
    NODE_ENV: "production",
  };
  // A system the user configured by env (any of its three variables) is theirs entirely: none of the
  // sample wiring is mixed in (a sample secret would never verify their system's webhooks).
  const fromUser = [];
  for (const s of SAMPLE_SYSTEMS) {
    const names = PARTS.map((p) => `CONCORD_SYSTEM_${s.env}_${p}`);
    if (names.some((n) => processEnv[n])) {
      fromUser.push(s.key);
      for (const n of names) env[n] = processEnv[n] || "";
      continue;
    }
    env[`CONCORD_SYSTEM_${s.env}_URL`] = `${samplesUrl}/${s.key}`;
    env[`CONCORD_SYSTEM_${s.env}_AUTH`] = s.auth(sampleKey);
    env[`CONCORD_SYSTEM_${s.env}_WEBHOOK_SECRET`] = secrets[`SAMPLE_SECRET_${s.env}`];
  }
  // Any other system the user exported (one not in the samples) passes through as it is.
  for (const [name, value] of Object.entries(processEnv)) {
    const m = /^CONCORD_SYSTEM_([A-Z0-9_]+)_(URL|AUTH|WEBHOOK_SECRET)$/.exec(name);
    if (m && value && !(name in env)) {
      env[name] = value;
      const key = m[1].toLowerCase().replace(/_/g, "-");
      if (!fromUser.includes(key)) fromUser.push(key);
    }
  }
  return { host, admin, env, fromUser };
}
