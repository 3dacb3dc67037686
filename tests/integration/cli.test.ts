import { describeOnPostgres } from "../helpers/drivers";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSampleSystems, type SampleSystems } from "../../demo/server";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { openDb, type DbHandle } from "~/server/db/client";
import type { Engine } from "~/server/engine/context";
import { createEngine } from "~/server/engine/create-engine";
import { systemActor } from "~/server/services/actor";
import { createApiKey } from "~/server/services/api-keys/create-api-key";
import { revokeApiKey } from "~/server/services/api-keys/revoke-api-key";
import { ensureSystemRows } from "~/server/services/connections/get-connection";
import { createTestDb } from "../helpers/db";

// The CLI runs on embedded PGlite in a temp folder (direct mode), then against a "running Concord":
// this process holding that folder and serving /api/trpc through fetchRequestHandler, as the Next route does.
const root = path.resolve(__dirname, "../..");
const tmp = mkdtempSync(path.join(tmpdir(), "concord-cli-"));
const dir = path.join(tmp, "pglite");
const encryptionKey = randomBytes(32).toString("hex");
let samples: SampleSystems;
let systemsEnv: Record<string, string>;

beforeAll(async () => {
  samples = await startSampleSystems({ concordUrl: null, webhooks: false });
  samples.system("dashboard").seedSynthetic(12);
  samples.system("onboarding").seedSample();
  systemsEnv = {
    CONCORD_SYSTEM_DASHBOARD_URL: `${samples.url}/dashboard`,
    CONCORD_SYSTEM_DASHBOARD_AUTH: `Bearer ${samples.apiKey}`,
    CONCORD_SYSTEM_CMS_URL: `${samples.url}/cms`,
    CONCORD_SYSTEM_CMS_AUTH: `users API-Key ${samples.apiKey}`,
    CONCORD_SYSTEM_LEAD_CENTRE_URL: `${samples.url}/lead-centre`,
    CONCORD_SYSTEM_LEAD_CENTRE_AUTH: `Bearer ${samples.apiKey}`,
    CONCORD_SYSTEM_ONBOARDING_URL: `${samples.url}/onboarding`,
    CONCORD_SYSTEM_ONBOARDING_AUTH: `Bearer ${samples.apiKey}`,
    CONCORD_SYSTEM_MAINTENANCE_URL: `${samples.url}/maintenance`,
    CONCORD_SYSTEM_MAINTENANCE_AUTH: `Bearer ${samples.apiKey}`,
  };
});
afterAll(async () => {
  await samples?.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface TResult {
  status: number | null;
  stdout: string;
  stderr: string;
}
/** Spawns a TypeScript entry like `npm run concord` does; async, so this process keeps serving meanwhile. */
function cli(args: string[], env: Record<string, string> = {}, entry = "src/cli/index.ts"): Promise<TResult> {
  const base = { PATH: process.env.PATH!, HOME: tmp, PGLITE_DIR: dir, LOG_LEVEL: "silent", NODE_ENV: "test", CONCORD_ENCRYPTION_KEY: encryptionKey, ...systemsEnv };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", entry, ...args], { cwd: root, env: { ...base, ...env } as unknown as NodeJS.ProcessEnv });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("CLI on the database directly (Concord not running)", { timeout: 120_000 }, () => {
  let key = "";

  it("run prints progress and a summary, sends the deliveries, and exits 0", async () => {
    const res = await cli(["run", "--entity", "industry", "--system", "dashboard"]);
    expect(res.stderr).toBe("");
    expect(res.stdout).toContain(`concord: directly on embedded PGlite at ${dir}`);
    expect(res.stdout).toMatch(/reading: fetched 12 · created 12/);
    expect(res.stdout).toMatch(/Succeeded in [\d.]+ s: fetched 12 · created 12 · updated 0/);
    expect(res.status).toBe(0);
    expect(samples.system("cms").all()).toHaveLength(12);
    expect(samples.system("lead-centre").all()).toHaveLength(12);
  });

  it("run exits non-zero with the reason when the system does not answer", async () => {
    const res = await cli(["run", "--entity", "industry", "--system", "cms"], { CONCORD_SYSTEM_CMS_URL: "http://127.0.0.1:9" });
    expect(res.stdout).toContain("Run failed");
    expect(res.stderr).toMatch(/concord: run \S+ \(industry from cms\) failed: .*request failed/);
    expect(res.status).toBe(1);
    const bad = await cli(["run", "--entity", "industry", "--kind", "sideways"]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain("Allowed choices are full, incremental, dry-run");
  });

  it("apikey create prints the key once; list and revoke never show it", async () => {
    const res = await cli(["apikey", "create", "--name", "ops", "--scopes", "read,write,run"]);
    expect(res.status).toBe(0);
    key = /\b(ck_[A-Za-z0-9_-]{43})\b/.exec(res.stdout)?.[1] ?? "";
    expect(key).not.toBe("");
    expect(res.stdout.split(key)).toHaveLength(2); // exactly once
    const list = await cli(["apikey", "list"]);
    expect(list.stdout).toMatch(/ck_\S+…\s+ops\s+\[read,run,write\]\s+active\s+last used never/);
    expect(list.stdout).not.toContain(key);
    const bad = await cli(["apikey", "create", "--name", "x", "--scopes", "read,admin"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('"admin" is not one of read, write, run');
  });

  it("status shows the queue per system, open conflicts and recent runs", async () => {
    const res = await cli(["status"]);
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/dashboard\s+0 ·\s+0 ·\s+0/);
    expect(res.stdout).toContain("Open conflicts: 0");
    expect(res.stdout).toMatch(/industry from cms \(full, cli\)\s+failed/);
    expect(res.stdout).toMatch(/industry from dashboard \(full, cli\)\s+succeeded/);
  });

  describe("through the running Concord's API when it holds the database", () => {
    let handle: DbHandle;
    let engine: Engine;
    let server: Server;
    let port = 0;
    beforeAll(async () => {
      handle = await openDb({ pgliteDir: dir }); // this process is now "Concord": the CLI cannot open the folder
      const overrides = Object.fromEntries(["dashboard", "cms", "lead-centre"].map((k) => [k, { url: `${samples.url}/${k}`, auth: systemsEnv[`CONCORD_SYSTEM_${k.toUpperCase().replace("-", "_")}_AUTH`] }]));
      engine = createEngine({ db: handle.db, driver: handle.driver, encryptionKey, overrides });
      await ensureSystemRows(engine);
      server = createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const request = new Request(`http://localhost${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: req.method === "GET" ? undefined : Buffer.concat(chunks) });
        const response = await fetchRequestHandler({ endpoint: "/api/trpc", req: request, router: appRouter, createContext: () => createTRPCContext({ db: handle.db, session: null, engine, headers: request.headers }) });
        res.writeHead(response.status, Object.fromEntries(response.headers)).end(Buffer.from(await response.arrayBuffer()));
      });
      await new Promise<void>((r) => server.listen(0, () => r()));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise((r) => server?.close(r));
      await handle?.close();
    });

    it("says how to get an API key when none is given", async () => {
      const res = await cli(["status"], { PORT: String(port) });
      expect(res.status).toBe(1);
      expect(res.stderr).toContain(`holds embedded PGlite at ${dir}`);
      expect(res.stderr).toContain(`must go through the running Concord at http://localhost:${port}`);
      expect(res.stderr).toContain("npm run concord -- apikey create --name cli --scopes read,run");
      expect(res.stderr).toContain("export CONCORD_API_KEY=");
    });

    it("status and run go through the API, say so, and run exits 0 with its counts", async () => {
      const env = { PORT: String(port), CONCORD_API_KEY: key };
      const status = await cli(["status"], env);
      expect(status.stdout).toContain(`concord: via the running Concord at http://localhost:${port}`);
      expect(status.stdout).toMatch(/industry from dashboard \(full, cli\)\s+succeeded/);
      expect(status.status).toBe(0);
      const run = await cli(["run", "--entity", "industry", "--system", "dashboard", "--kind", "dry-run"], env);
      expect(run.stderr).toBe("");
      expect(run.stdout).toMatch(/Succeeded in [\d.]+ s: fetched 12 · created 0 · updated 0/);
      expect(run.status).toBe(0);
      const explicit = await cli(["status"], { CONCORD_URL: `http://127.0.0.1:${port}`, CONCORD_API_KEY: key, PGLITE_DIR: path.join(tmp, "unused") });
      expect(explicit.stdout).toContain(`via the running Concord at http://127.0.0.1:${port} (CONCORD_URL is set)`);
    });

    it("replay --dead goes through the API", async () => {
      const res = await cli(["replay", "--dead"], { PORT: String(port), CONCORD_API_KEY: key });
      expect(res.stdout).toContain("No dead deliveries.");
      expect(res.status).toBe(0);
    });

    it("the typed client example upserts, triggers a run and follows it", async () => {
      const res = await cli([], { CONCORD_URL: `http://localhost:${port}`, CONCORD_API_KEY: key }, "examples/internal-tool.ts");
      expect(res.stderr).toBe("");
      expect(res.stdout).toContain("records.upsert: created offshore-wind (version 1), queued for");
      expect(res.stdout).toMatch(/runs\.get: run \S+ succeeded, fetched 12/);
      expect(res.status).toBe(0);
    });

    it("refuses key management through the API, and a revoked key", async () => {
      const env = { PORT: String(port), CONCORD_API_KEY: key };
      const list = await cli(["apikey", "list"], env);
      expect(list.status).toBe(1);
      expect(list.stderr).toContain("API keys cannot manage API keys: stop Concord and run this again");
      const { apiKey, key: doomed } = await createApiKey({ db: handle.db, actor: systemActor, input: { name: "doomed", scopes: ["read"] } });
      await revokeApiKey({ db: handle.db, actor: systemActor, input: { id: apiKey.id } });
      const revoked = await cli(["status"], { ...env, CONCORD_API_KEY: doomed });
      expect(revoked.status).toBe(1);
      expect(revoked.stderr).toContain("refused the API key in CONCORD_API_KEY");
    });
  });

  // Last: its runs would crowd the recent runs the status tests above look for.
  it("fleet --vessel syncs one vessel with its company, equipment and users, and a validate run lists problems", async () => {
    type Doc = Record<string, unknown>;
    const onboarding = samples.system("onboarding");
    const vessel = onboarding.all<Doc>("vessels").find((v) => v.approvalStatus === "approved" && onboarding.all<Doc>("users").some((u) => u.vesselId === v.id && u.approvalStatus === "approved"))!;
    const res = await cli(["fleet", "--vessel", String(vessel.imoNumber)]);
    expect(res.stderr).toBe("");
    expect(res.stdout).toContain("company → vessel → equipment → user from the Onboarding Portal");
    expect(res.status).toBe(0);
    const maintenance = samples.system("maintenance");
    const mVessel = maintenance.all<Doc>("vessels").find((v) => v.imo === vessel.imoNumber)!;
    expect(mVessel).toBeDefined();
    expect(maintenance.all<Doc>("vessels")).toHaveLength(1);
    expect(maintenance.all<Doc>("equipment").every((e) => e.vessel_id === mVessel.id)).toBe(true);
    expect(maintenance.all<Doc>("equipment").length).toBeGreaterThan(0);
    expect(maintenance.all<Doc>("users").length).toBeGreaterThan(0);
    const validate = await cli(["fleet", "--kind", "validate"]);
    expect(validate.status).toBe(1);
    expect(validate.stderr).toMatch(/\(vessel\) succeeded, 1 invalid or failed/);
  });
});

describeOnPostgres("CLI on Postgres", { timeout: 120_000 }, () => {
  it("opens the database directly even while Concord has it open, and never prints the URL", async () => {
    const t = await createTestDb(); // this process holds connections, as a running Concord would
    try {
      const env = { DATABASE_URL: t.url!, PGLITE_DIR: path.join(tmp, "unused-pg") };
      const created = await cli(["apikey", "create", "--name", "pg-tool", "--scopes", "read"], env);
      expect(created.stdout).toContain("concord: directly on Postgres (DATABASE_URL)");
      expect(created.status).toBe(0);
      // A fresh database plans a create for everything the Dashboard holds (12, plus what the earlier
      // tests' deliveries may have added, such as the typed client's offshore-wind).
      const held = samples.system("dashboard").all().length;
      expect(held).toBeGreaterThanOrEqual(12);
      const run = await cli(["run", "--entity", "industry", "--system", "dashboard", "--kind", "dry-run"], env);
      expect(run.stdout).toMatch(new RegExp(`Succeeded in [\\d.]+ s: fetched ${held} · created ${held}`));
      expect(run.status).toBe(0);
      for (const out of [created.stdout, created.stderr, run.stdout, run.stderr]) expect(out).not.toContain(t.url!);
    } finally {
      await t.destroy();
    }
  });

});
