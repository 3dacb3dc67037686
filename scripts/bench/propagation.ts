// Propagation latency of single changes on an idle system: an edit in the sample Dashboard → its webhook
// → Concord's intake (handleWebhookRequest, as the Next route calls it) → stored event → worker applies it
// → delivery → PATCH to the sample CMS. Timed from the edit until the CMS document shows the new value
// (polled in-process every millisecond). Baselines: a durable receiver that stores each event and notes
// each send before making it (the fair one: `durableReceiver`), and a bare one that verifies the signature
// and PATCHes the CMS directly, storing nothing (the absolute limit).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sql as drizzleSql } from "drizzle-orm";
import postgres from "postgres";
import { startSampleSystems } from "../../demo/server";
import { verifyWebhook } from "~/sync/signature";
import { queryRows } from "~/server/db";
import type { Engine } from "~/server/engine/context";
import { Worker } from "~/server/engine/worker";
import { handleWebhookRequest } from "~/server/http/webhook-request";
import { createRun } from "~/server/services/runs/create-run";
import { executeRun } from "~/server/services/runs/execute-run";
import { dashboardCmsConfig, openBenchEngine, sampleOverrides } from "./lib/bench-engine";
import { emitResult, intEnv, percentile, progress, round, sleep, waitUntil } from "./lib/common";

const edits = intEnv("BENCH_EDITS", 200);
const gapMs = intEnv("BENCH_EDIT_GAP_MS", 20);
const records = intEnv("BENCH_PROPAGATION_RECORDS", 200);
const databaseUrl = process.env.BENCH_DB_URL!;
const EDIT_TIMEOUT_MS = 5_000;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

async function readBody(req: import("node:http").IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Concord's intake, served through the same handler the Next route uses (like tests/helpers/harness.ts). */
/** When each stage of the edit being timed happened (performance.now()); the first mark of each wins. */
const timeline: Record<string, number> = {};
const mark = (stage: string) => {
  timeline[stage] ??= performance.now();
};
const STAGES = ["webhook received", "webhook stored (202)", "change applied", "PATCH sent", "PATCH answered", "seen in CMS"] as const;

function concordIntake(engineRef: { current: Engine | null }): Server {
  return createServer(async (req, res) => {
    const engine = engineRef.current;
    const m = /^\/api\/webhooks\/([^/?]+)/.exec(req.url ?? "");
    if (!m || req.method !== "POST" || !engine) {
      res.writeHead(404).end();
      return;
    }
    if (m[1] === "dashboard") mark("webhook received");
    const body = await readBody(req);
    const request = new Request(`http://x${req.url}`, { method: "POST", headers: req.headers as Record<string, string>, body: new Uint8Array(body) });
    const response = await handleWebhookRequest(engine, decodeURIComponent(m[1]!), request, { perSecond: 100_000 });
    if (m[1] === "dashboard") mark("webhook stored (202)");
    res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
  });
}

/** The baseline: verify, answer, PATCH the CMS by the Dashboard's cms_id. Nothing stored. */
function bareReceiver(secret: string, cmsApi: string, apiKey: string): Server {
  return createServer(async (req, res) => {
    const body = await readBody(req);
    const h = (k: string) => (typeof req.headers[k] === "string" ? (req.headers[k] as string) : undefined);
    const verdict = verifyWebhook({ secrets: [secret], headers: { id: h("webhook-id"), timestamp: h("webhook-timestamp"), signature: h("webhook-signature") }, body, now: Date.now });
    if (!verdict.ok) {
      res.writeHead(401).end();
      return;
    }
    res.writeHead(202).end();
    const event = JSON.parse(body.toString("utf8")) as { type: string; data: Record<string, unknown> };
    const d = event.data;
    if (event.type !== "industry.updated" || typeof d.cms_id !== "string") return;
    const r = await fetch(`${cmsApi}/industries/${d.cms_id}?depth=0`, {
      method: "PATCH",
      headers: { authorization: `users API-Key ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ name: d.name, slug: d.slug, description: d.description, active: d.is_active }),
    });
    await r.text();
  });
}

/**
 * The fair baseline (the target's): the least a receiver that loses nothing must do for the same edit. It verifies
 * the signature and stores the event, committed with a flush, before its 202 (as Concord's intake does: a 202 is a
 * promise). Then it enters what it is about to send, committed with a flush, before the PATCH (as Concord's echo
 * ledger does: without it, the late echo of a write could not be told from a newer edit there, and would overwrite
 * it), PATCHes the CMS by `cms_id` and records the event done. The CMS's echo of that PATCH comes back to it too: it
 * is stored the same way, checked against the last entry for that document and recorded done.
 * Left out, though Concord does them: the record, its links and conflicts, the change history, the delivery row with
 * its claim, lease and attempt, the rate-limit slot, events for the console. So it is a floor, not a copy.
 */
function durableReceiver(secrets: Record<string, string>, cmsApi: string, apiKey: string, sql: postgres.Sql): Server {
  return createServer(async (req, res) => {
    const system = /^\/api\/webhooks\/([^/?]+)/.exec(req.url ?? "")?.[1];
    const body = await readBody(req);
    const h = (k: string) => (typeof req.headers[k] === "string" ? (req.headers[k] as string) : undefined);
    const secret = system ? secrets[system] : undefined;
    const verdict = secret ? verifyWebhook({ secrets: [secret], headers: { id: h("webhook-id"), timestamp: h("webhook-timestamp"), signature: h("webhook-signature") }, body, now: Date.now }) : { ok: false };
    if (!verdict.ok) {
      res.writeHead(401).end();
      return;
    }
    const text = body.toString("utf8");
    const [row] = await sql<{ id: string }[]>`insert into bare_events (system, body) values (${system!}, ${text}) returning id`;
    res.writeHead(202).end();
    await apply(system!, row!.id, text).catch((err: unknown) => progress(`  durable receiver: ${String(err)}`));
  });

  async function apply(system: string, id: string, text: string): Promise<void> {
    const event = JSON.parse(text) as { type: string; data: Record<string, unknown> };
    const d = event.data;
    if (system === "cms") {
      await sql`select note from bare_events where target = ${String(d.id)} and note is not null order by id desc limit 1`;
      await sql`update bare_events set status = 'done' where id = ${id}`;
      return;
    }
    if (event.type !== "industry.updated" || typeof d.cms_id !== "string") return;
    const values = { name: d.name, slug: d.slug, description: d.description, active: d.is_active };
    await sql`update bare_events set target = ${d.cms_id}, note = ${JSON.stringify(values)}::jsonb where id = ${id}`;
    const r = await fetch(`${cmsApi}/industries/${d.cms_id}?depth=0`, {
      method: "PATCH",
      headers: { authorization: `users API-Key ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(values),
    });
    await r.text();
    await sql`update bare_events set status = 'done' where id = ${id}`;
  }
}

interface Latencies {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  missed: number;
  samples: number;
  /** Concord only: time from the previous stage to each stage (p50 and p99), ms. */
  stagesP50?: Record<string, number>;
  stagesP99?: Record<string, number>;
}

async function main(): Promise<void> {
  const engineRef: { current: Engine | null } = { current: null };
  const intake = concordIntake(engineRef);
  const intakeUrl = await listen(intake);
  const samples = await startSampleSystems({ concordUrl: intakeUrl, seed: false });
  const dashboard = samples.system("dashboard");
  const cms = samples.system("cms");
  const { engine, meter, close } = await openBenchEngine({ databaseUrl, config: dashboardCmsConfig, overrides: sampleOverrides(samples.url, samples.apiKey, samples.secrets) });
  engineRef.current = engine;
  engine.bus.on((e) => {
    if (e.type === "change" && e.system === "dashboard") mark("change applied");
  });
  meter.listener = (key, phase) => {
    if (key.startsWith("PATCH cms")) mark(phase === "start" ? "PATCH sent" : "PATCH answered");
  };
  // As `npm start` runs it: default idle sleep (1 s), woken by the bus when work arrives.
  const worker = new Worker(engine, { concurrency: 16 });
  worker.start();

  const quiet = async () => {
    await Promise.all([dashboard.webhooksIdle(), cms.webhooksIdle()]);
    const [row] = await queryRows<{ busy: number }>(
      engine.db,
      drizzleSql`select (select count(*)::int from webhook_events where status in ('pending', 'processing')) + (select count(*)::int from deliveries where status in ('pending', 'retrying', 'in_flight')) as busy`,
    );
    return row!.busy === 0;
  };

  // Setup (not timed): n industries in the Dashboard, synced and linked both ways.
  dashboard.seedSynthetic(records);
  const run = await createRun(engine, { entity: "industry", system: "dashboard", kind: "full", trigger: "cli", startedBy: null });
  await executeRun(engine, run.id);
  const linked = await waitUntil(async () => cms.stats().count >= records && dashboard.all().every((d) => d.cms_id) && (await quiet()), 60_000, 100);
  if (!linked) throw new Error(`setup did not settle: CMS holds ${cms.stats().count} of ${records}`);
  await sleep(1_500); // let the worker fall idle
  progress(`  propagation: ${records} industries linked; ${edits} single edits, ${gapMs} ms apart`);

  const measure = async (label: string): Promise<Latencies> => {
    const docs = dashboard.all();
    const times: number[] = [];
    const stages: Record<string, number[]> = {};
    let missed = 0;
    for (let k = 0; k < edits; k++) {
      const doc = docs[k % docs.length]!;
      const name = `${label} edit ${k} of ${doc.slug}`;
      const cmsId = doc.cms_id!;
      for (const k of Object.keys(timeline)) delete timeline[k];
      const t0 = performance.now();
      dashboard.update(doc.id, { name });
      let ok = false;
      while (performance.now() - t0 < EDIT_TIMEOUT_MS) {
        if (cms.get(cmsId)?.name === name) {
          ok = true;
          break;
        }
        await sleep(1);
      }
      const ms = performance.now() - t0;
      if (!ok) missed++;
      times.push(ms);
      if (ok && label === "concord") {
        mark("seen in CMS");
        let prev = t0;
        for (const stage of STAGES) {
          const at = timeline[stage];
          if (at === undefined) continue;
          (stages[stage] ??= []).push(at - prev);
          prev = at;
        }
      }
      await sleep(gapMs);
    }
    return {
      p50: round(percentile(times, 50), 1),
      p95: round(percentile(times, 95), 1),
      p99: round(percentile(times, 99), 1),
      max: round(Math.max(...times), 1),
      mean: round(times.reduce((a, b) => a + b, 0) / times.length, 1),
      missed,
      samples: times.length,
      ...(label === "concord"
        ? { stagesP50: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, round(percentile(v, 50), 1)])), stagesP99: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, round(percentile(v, 99), 1)])) }
        : {}),
    };
  };

  const concord = await measure("concord");
  progress(`  propagation Concord: p50 ${concord.p50} ms, p95 ${concord.p95} ms, p99 ${concord.p99} ms, max ${concord.max} ms, missed ${concord.missed}`);
  progress(`  propagation Concord stages, p50 ms: ${JSON.stringify(concord.stagesP50)}`);
  await waitUntil(quiet, 10_000, 50);
  await worker.stop();

  // The fair baseline: the Dashboard's and the CMS's webhooks go to the durable receiver, on the same server.
  const sql = postgres(databaseUrl, { max: 10, onnotice: () => {} });
  await sql`create table bare_events (id bigserial primary key, system text not null, body text not null, target text, note jsonb, status text not null default 'pending')`;
  await sql`create index on bare_events (target, id)`;
  const durable = durableReceiver({ dashboard: dashboard.secret, cms: cms.secret }, cms.apiUrl, samples.apiKey, sql);
  const durableUrl = await listen(durable);
  dashboard.setConfig({ concordUrl: durableUrl });
  cms.setConfig({ concordUrl: durableUrl });
  const fair = await measure("fair");
  progress(`  propagation fair (durable receiver): p50 ${fair.p50} ms, p95 ${fair.p95} ms, p99 ${fair.p99} ms, max ${fair.max} ms, missed ${fair.missed}`);
  await Promise.all([dashboard.webhooksIdle(), cms.webhooksIdle()]);

  // The old baseline, the absolute limit: the Dashboard's webhooks go to the bare receiver; the CMS sends none.
  const bare = bareReceiver(dashboard.secret, cms.apiUrl, samples.apiKey);
  const bareUrl = await listen(bare);
  dashboard.setConfig({ concordUrl: bareUrl });
  cms.setConfig({ webhooks: false });
  const baseline = await measure("bare");
  progress(`  propagation bare: p50 ${baseline.p50} ms, p95 ${baseline.p95} ms, p99 ${baseline.p99} ms, max ${baseline.max} ms, missed ${baseline.missed}`);

  await samples.close();
  await new Promise((r) => intake.close(r));
  await new Promise((r) => bare.close(r));
  await new Promise((r) => durable.close(r));
  await sql.end();
  await close();
  emitResult({ concord, fair, baseline });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
