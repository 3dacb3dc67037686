// One trial: a fresh database, the sample systems with the plan's webhook faults, Concord (`next start`)
// plus standalone workers, the writer, SIGKILLs and restarts, quiescence, an optional catch-up run, then
// the checker over everything that happened.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { tmpdir } from "node:os";
import { check, type Doc, type Finals, type Violation } from "./checker";
import { busy, createTrialDb, loadHistory, type Sql } from "./db";
import { describePlan, type TrialPlan } from "./plan";
import { catchUpRun, freePort, openLog, progress, samplesProc, serverProc, sleep, ticker, workerProc, type Proc, type Ticker } from "./procs";
import { timeline } from "./timeline";
import { Writer, type Write } from "./writer";

export type CatchUp = "none" | "full" | "incremental";

/** What to undo if the run is interrupted (SIGINT/SIGTERM): the current trial's processes and database. */
export const cleanups = new Set<() => Promise<void>>();

export interface TrialResult {
  seed: number;
  writes: number;
  /** accepted writes per second while writing */
  rate: number;
  creates: number;
  kills: number;
  quiesced: boolean;
  violations: Violation[];
  seconds: number;
  log: string;
}

const SYSTEMS = [
  { key: "dashboard", env: "DASHBOARD", auth: (k: string) => `Bearer ${k}` },
  { key: "cms", env: "CMS", auth: (k: string) => `users API-Key ${k}` },
  { key: "lead-centre", env: "LEAD_CENTRE", auth: (k: string) => `Bearer ${k}` },
  { key: "onboarding", env: "ONBOARDING", auth: (k: string) => `Bearer ${k}` },
  { key: "maintenance", env: "MAINTENANCE", auth: (k: string) => `Bearer ${k}` },
];
const whsec = () => `whsec_${randomBytes(24).toString("base64")}`;
const getJson = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;

/** Quiet: no webhook waiting in the sample systems, no event or delivery open in Concord, three polls running. */
async function quiesce(sql: Sql, samplesUrl: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (Date.now() < deadline) {
    let waiting = 0;
    for (const s of ["dashboard", "cms", "lead-centre"]) waiting += (await getJson<{ webhooks: { pending: number } }>(`${samplesUrl}/${s}/_stats`)).webhooks.pending;
    const b = await busy(sql);
    quiet = waiting === 0 && b.events === 0 && b.deliveries === 0 ? quiet + 1 : 0;
    if (quiet >= 3) return true;
    await sleep(500);
  }
  return false;
}

export interface TrialOptions {
  catchUp: CatchUp;
  keepDb: boolean;
  quiesceMs: number;
  timelines: number;
  /** `next start` as a serverless host (CONCORD_SERVERLESS): no worker anywhere, a cron caller ticks it this often. */
  serverless: { tickEveryMs: number } | null;
  /** host:port of a transaction-mode pooler: Concord's DATABASE_URL goes through it (the direct URL stays for migrations and LISTEN). */
  pooler: string | null;
}

/** The trial database's URL through the pooler, marked pooled. */
function throughPooler(url: string, pooler: string): string {
  const u = new URL(url);
  u.host = pooler;
  u.searchParams.set("pgbouncer", "true");
  return u.toString();
}

export async function runTrial(plan: TrialPlan, opts: TrialOptions): Promise<TrialResult> {
  const started = Date.now();
  const logFile = path.join(tmpdir(), `concord-chaos-${plan.seed}-${Date.now()}.log`);
  const log = openLog(logFile);
  progress(`trial seed ${plan.seed}: ${describePlan(plan)} (log ${logFile})`);
  const db = await createTrialDb(plan.seed);
  const [port, samplesPort] = [await freePort(), await freePort()];
  const apiKey = `chaos-${randomBytes(4).toString("hex")}`;
  const secrets = Object.fromEntries(SYSTEMS.map((s) => [s.env, whsec()]));
  const samplesUrl = `http://127.0.0.1:${samplesPort}`;
  const cronSecret = randomBytes(24).toString("hex");
  const concordEnv: Record<string, string> = {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: opts.pooler ? throughPooler(db.url, opts.pooler) : db.url,
    ...(opts.pooler ? { DATABASE_URL_UNPOOLED: db.url } : {}),
    AUTH_SECRET: randomBytes(32).toString("base64"),
    CONCORD_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    LOG_LEVEL: process.env.CHAOS_LOG_LEVEL || "warn",
    RUN_WORKERS: "true",
    ...(opts.serverless ? { CONCORD_SERVERLESS: "true", CRON_SECRET: cronSecret, CRON_BUDGET_MS: "10000" } : {}),
    WORKER_LEASE_MS: "5000",
    CONCORD_URL: "",
    PORT: String(port),
  };
  for (const s of SYSTEMS) {
    concordEnv[`CONCORD_SYSTEM_${s.env}_URL`] = `${samplesUrl}/${s.key}`;
    concordEnv[`CONCORD_SYSTEM_${s.env}_AUTH`] = s.auth(apiKey);
    concordEnv[`CONCORD_SYSTEM_${s.env}_WEBHOOK_SECRET`] = secrets[s.env]!;
  }
  const samplesEnv: Record<string, string> = {
    SAMPLE_PORT: String(samplesPort),
    SAMPLE_HOST: "127.0.0.1",
    SAMPLE_API_KEY: apiKey,
    SAMPLE_SEED: "false",
    SAMPLE_DATA_FILE: "",
    SAMPLE_SECRETS_FILE: "",
    CONCORD_URL: `http://127.0.0.1:${port}`,
    SAMPLE_WEBHOOK_FAULTS: JSON.stringify(plan.faults),
    // a sender that keeps trying for about half a minute, so a restart of Concord loses nothing it was sent
    SAMPLE_WEBHOOK_RETRY_MS: "200,1000,3000,8000,15000",
    ...Object.fromEntries(SYSTEMS.map((s) => [`SAMPLE_SECRET_${s.env}`, secrets[s.env]!])),
  };
  const samples = samplesProc(samplesEnv, samplesPort, log);
  const server = serverProc(concordEnv, port, log);
  const workers = Array.from({ length: plan.workers }, (_, i) => workerProc(concordEnv, i, log));
  const procs: Proc[] = [samples, server, ...workers];
  const writer = new Writer(plan, samplesUrl, apiKey);
  let kills = 0;
  const cleanup = async () => {
    await Promise.all(procs.map((p) => p.kill()));
    await db.drop();
  };
  cleanups.add(cleanup);
  let cron: Ticker | null = null;
  try {
    await samples.start();
    await server.start();
    // every system row exists once the server has started; lift the default 10/s limit out of the way
    await db.sql`update systems set rate_limit_per_second = 1000`;
    await Promise.all(workers.map((w) => w.start()));
    const t0 = Date.now();
    const killer = (async () => {
      for (const k of plan.kills_) {
        await sleep(t0 + k.atMs - Date.now());
        const target = k.target === "server" ? server : workers[Number(k.target.slice("worker-".length))]!;
        await target.kill();
        kills++;
        progress(`  SIGKILL ${k.target} at ${((Date.now() - t0) / 1000).toFixed(1)} s; restarting`);
        await target.start();
      }
    })();
    cron = opts.serverless ? ticker(`http://127.0.0.1:${port}/api/cron/tick`, cronSecret, opts.serverless.tickEveryMs) : null;
    await Promise.all([writer.run(), killer]);
    progress(`  ${writer.writes.length} writes in ${(writer.elapsedMs / 1000).toFixed(1)} s (kills done at ${((Date.now() - t0) / 1000).toFixed(1)} s); waiting for quiet`);
    let quiesced = await quiesce(db.sql, samplesUrl, opts.quiesceMs);
    if (opts.catchUp !== "none") {
      for (const system of ["dashboard", "cms"]) {
        const r = catchUpRun(concordEnv, system, opts.catchUp);
        log.write(`[catch-up ${system}] ${r.output}\n`);
        if (!r.ok) progress(`  catch-up run from ${system} failed: ${r.output.split("\n").at(-1)}`);
      }
      quiesced = (await quiesce(db.sql, samplesUrl, opts.quiesceMs)) && quiesced;
    }
    await cron?.stop();
    const finals: Finals = {
      dashboard: (await getJson<{ industries: Doc[] }>(`${samplesUrl}/dashboard/_all`)).industries,
      cms: (await getJson<{ industries: Doc[] }>(`${samplesUrl}/cms/_all`)).industries,
      outcomes: {
        dashboard: (await getJson<{ outcomes: Finals["outcomes"]["dashboard"] }>(`${samplesUrl}/dashboard/_webhooks`)).outcomes,
        cms: (await getJson<{ outcomes: Finals["outcomes"]["cms"] }>(`${samplesUrl}/cms/_webhooks`)).outcomes,
      },
    };
    const history = await loadHistory(db.sql);
    const violations = check(writer.writes, finals, history);
    report(plan.seed, violations, writer.writes, history, finals, opts.timelines);
    const ok = writer.writes.filter((w) => w.status === "ok");
    return { seed: plan.seed, writes: ok.length, rate: Math.round((ok.length / Math.max(1, writer.elapsedMs)) * 10_000) / 10, creates: ok.filter((w) => w.op === "create").length, kills, quiesced, violations, seconds: Math.round((Date.now() - started) / 1000), log: logFile };
  } finally {
    cleanups.delete(cleanup);
    await cron?.stop();
    await Promise.all(procs.map((p) => p.stop()));
    log.end();
    if (!opts.keepDb) await db.drop();
    else progress(`  kept database ${db.name}`);
  }
}

function report(seed: number, violations: Violation[], writes: Write[], h: Awaited<ReturnType<typeof loadHistory>>, finals: Finals, timelines: number): void {
  const shown = new Set<string>();
  for (const v of violations) {
    process.stdout.write(`seed ${seed} VIOLATION ${v.kind}: ${v.message}\n`);
    if (v.slug && !shown.has(v.slug) && shown.size < timelines) {
      shown.add(v.slug);
      process.stdout.write(`${timeline(v.slug, writes, h, finals)}\n`);
    }
  }
}
