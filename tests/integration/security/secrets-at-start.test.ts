import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../../..");
const tsx = path.join(root, "node_modules/.bin/tsx");
const tmp = mkdtempSync(path.join(tmpdir(), "concord-secrets-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs an entry as `npm run worker` / `npm run concord` do: tsx, NODE_ENV unset, exactly this env. */
function run(args: string[], env: Record<string, string>) {
  return spawnSync(tsx, args, { cwd: root, env: { PATH: process.env.PATH!, HOME: tmp, LOG_LEVEL: "silent", ...env } as unknown as NodeJS.ProcessEnv, encoding: "utf8", timeout: 60_000 });
}
// Nothing listens there: a refusal must come before any connection is tried.
const POSTGRES = { DATABASE_URL: "postgres://nobody@127.0.0.1:9/never", PGLITE_DIR: path.join(tmp, "unused") };
const KEY = "k7J0c6Yv2m1q8Zp3Lw9Xb4Tn5Rr0Hs6Ud2Ee8Ff1Gg4=";
const startUp = ["-e", "import('./src/server/startup.ts').then(m => m.startServer()).then(() => process.exit(0), e => { console.error(e.message); process.exit(1) })"];

describe("secrets outside production", { timeout: 120_000 }, () => {
  it("the worker refuses to start on Postgres without CONCORD_ENCRYPTION_KEY, naming it", () => {
    const res = run(["src/cli/worker.ts"], POSTGRES);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("CONCORD_ENCRYPTION_KEY: must be set when DATABASE_URL is set");
    expect(res.stderr).not.toContain("insecure development default");
  });

  it("the CLI refuses to open Postgres without CONCORD_ENCRYPTION_KEY", () => {
    const res = run(["src/cli/index.ts", "status"], POSTGRES);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain("CONCORD_ENCRYPTION_KEY: must be set when DATABASE_URL is set");
  });

  it("refuses known example values everywhere, even on embedded PGlite in development", () => {
    const zeros = run(["src/cli/worker.ts"], { CONCORD_ENCRYPTION_KEY: "0".repeat(64), PGLITE_DIR: path.join(tmp, "zeros") });
    expect(zeros.status).toBe(1);
    expect(zeros.stderr).toContain("CONCORD_ENCRYPTION_KEY: must be a key of your own");
    const devSecret = run(startUp, { AUTH_SECRET: "concord-development-only-secret-do-not-use-in-production", CONCORD_ENCRYPTION_KEY: KEY, PGLITE_DIR: path.join(tmp, "dev") });
    expect(devSecret.status).toBe(1);
    expect(devSecret.stderr).toContain("AUTH_SECRET: must be a secret of your own");
    const placeholder = run(startUp, { AUTH_SECRET: "change-me-change-me-change-me-change-me", CONCORD_ENCRYPTION_KEY: KEY, PGLITE_DIR: path.join(tmp, "ph") });
    expect(placeholder.status).toBe(1);
    expect(placeholder.stderr).toContain("AUTH_SECRET: must be a secret of your own");
  });
});
