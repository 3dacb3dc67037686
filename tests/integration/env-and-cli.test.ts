import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { verifyCredentials } from "~/server/services/verify-credentials";
import { openDb } from "~/server/db/client";

const root = path.resolve(__dirname, "../..");
const tsx = path.join(root, "node_modules/.bin/tsx");
const tmp = mkdtempSync(path.join(tmpdir(), "concord-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs a TypeScript entry the way the app starts, with exactly the env given (plus PATH). */
function run(args: string[], env: Record<string, string>, input?: string) {
  return spawnSync(tsx, args, { cwd: root, env: { PATH: process.env.PATH!, HOME: tmp, ...env } as unknown as NodeJS.ProcessEnv, input, encoding: "utf8", timeout: 60_000 });
}

const startUp = ["-e", "import('./src/server/startup.ts').then(m => m.startServer()).then(() => process.exit(0), e => { console.error(e.message); process.exit(1) })"];

// Each test starts tsx processes that open embedded PGlite (initdb in WASM: seconds, far more on a busy machine).
const SLOW = { timeout: 120_000 };

describe("environment", SLOW, () => {
  it("stops start-up on a bad value, naming the variable and what it wants", () => {
    const res = run(startUp, { PORT: "eighty", PGLITE_DIR: path.join(tmp, "env1") });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain("PORT: must be");
    const url = run(startUp, { DATABASE_URL: "mysql://x@localhost/db", PGLITE_DIR: path.join(tmp, "env2") });
    expect(url.status).not.toBe(0);
    expect(url.stderr).toContain("DATABASE_URL: must be a postgres:// connection URL");
  });

  it("refuses development defaults in production and names the missing secret", () => {
    const res = run(startUp, { NODE_ENV: "production", PGLITE_DIR: path.join(tmp, "env3") });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain("AUTH_SECRET: must be set in production");
  });

  it("starts outside production with a warning for each development default", () => {
    const res = run(startUp, { NODE_ENV: "development", LOG_LEVEL: "silent", PGLITE_DIR: path.join(tmp, "env4") });
    expect(res.stderr).toContain("AUTH_SECRET is not set: using an insecure development default");
    expect(res.status).toBe(0);
  });
});

describe("CLI: admin create", SLOW, () => {
  const dir = path.join(tmp, "cli-db");
  const env = { PGLITE_DIR: dir, LOG_LEVEL: "silent", NODE_ENV: "test" };

  it("creates an admin from a password on stdin, who can then sign in", async () => {
    const res = run(["src/cli/index.ts", "admin", "create", "--email", "cli@concord.test", "--role", "admin"], env, "a-cli-password\n");
    expect(res.stderr).toBe("");
    expect(res.stdout).toContain(`Created admin cli@concord.test in embedded PGlite at ${dir}.`);
    expect(res.status).toBe(0);
    const handle = await openDb({ pgliteDir: dir });
    try {
      const user = await verifyCredentials({ db: handle.db, input: { email: "cli@concord.test", password: "a-cli-password" } });
      expect(user.role).toBe("admin");
    } finally {
      await handle.close();
    }
  });

  it("explains bad input and exits non-zero", () => {
    const role = run(["src/cli/index.ts", "admin", "create", "--email", "x@concord.test", "--role", "owner"], env, "a-cli-password\n");
    expect(role.status).toBe(1);
    expect(role.stderr).toContain("--role must be admin or viewer");
    const short = run(["src/cli/index.ts", "admin", "create", "--email", "y@concord.test"], env, "short\n");
    expect(short.status).toBe(1);
    expect(short.stderr).toContain("password: at least 8 characters");
    const dup = run(["src/cli/index.ts", "admin", "create", "--email", "cli@concord.test"], env, "a-cli-password\n");
    expect(dup.status).toBe(1);
    expect(dup.stderr).toContain("already exists");
  });
});
