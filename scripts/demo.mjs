// `npm run demo`: build if needed, then start Concord on embedded PGlite (.data/pglite) and print how to sign in.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildIfStale, root, startConcord, stop } from "./lib/concord.mjs";

const dataDir = path.join(root, ".data");
mkdirSync(dataDir, { recursive: true });

/** Secrets for this machine's demo, made once and kept in .data/ so sessions survive a restart. */
function demoSecrets() {
  const file = path.join(dataDir, "demo-secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  const secrets = { AUTH_SECRET: randomBytes(32).toString("base64"), CONCORD_ENCRYPTION_KEY: randomBytes(32).toString("hex") };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

const port = Number(process.env.PORT || 3000);
const admin = {
  email: process.env.ADMIN_EMAIL || "admin@concord.local",
  password: process.env.ADMIN_PASSWORD || "concord-demo",
};
const secrets = demoSecrets();
const env = {
  ...secrets,
  AUTH_SECRET: process.env.AUTH_SECRET || secrets.AUTH_SECRET,
  CONCORD_ENCRYPTION_KEY: process.env.CONCORD_ENCRYPTION_KEY || secrets.CONCORD_ENCRYPTION_KEY,
  ADMIN_EMAIL: admin.email,
  ADMIN_PASSWORD: admin.password,
  PGLITE_DIR: process.env.PGLITE_DIR || path.join(dataDir, "pglite"),
  DATABASE_URL: "",
  NODE_ENV: "production",
};

buildIfStale();
const concord = await startConcord({ port, env });
const link = `http://localhost:${port}`;
console.log(`
  Concord is running at ${link}
  Sign in as ${admin.email} / ${admin.password}
  (that admin is created on the first start; later starts keep whatever admins you have)
  Data: ${env.PGLITE_DIR} (embedded PGlite — for trying Concord; production runs on Postgres)
  Stop with Ctrl+C.
`);

const shutdown = async () => {
  await stop(concord.child);
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
concord.child.on("exit", (code) => process.exit(code ?? 1));
