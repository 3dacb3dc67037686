import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { SAMPLE_SYSTEM_KEYS, startSampleSystems, type SampleSystems } from "../../demo/server";
import type { TSyncConfig } from "~/sync/config";
import { queryRows } from "~/server/db";
import { systems } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { Worker } from "~/server/engine/worker";
import { handleWebhookRequest } from "~/server/http/webhook-request";
import { createTestDb, type TestDb } from "./db";
import { createTestEngine } from "./engine";

export interface Harness {
  t: TestDb;
  engine: Engine;
  samples: SampleSystems;
  worker: Worker | null;
  concordUrl: string;
  /** Waits until webhooks are delivered, events applied and no delivery is due or in flight (one parked until its parent lands does not count). */
  settle(opts?: { timeoutMs?: number; allowRetrying?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

/** Serves POST /api/webhooks/{system} through the same handler the Next route uses. */
function startIntake(engineRef: { current: Engine | null }): Promise<Server> {
  const server = createServer(async (req, res) => {
    const m = /^\/api\/webhooks\/([^/?]+)/.exec(req.url ?? "");
    if (!m || req.method !== "POST" || !engineRef.current) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const request = new Request(`http://x${req.url}`, { method: "POST", headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) });
    const response = await handleWebhookRequest(engineRef.current, decodeURIComponent(m[1]!), request, { perSecond: 10_000 });
    res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

type TSystemOverride = { url: string; auth: string; webhookSecret: string };

export async function startHarness(
  opts: {
    config?: TSyncConfig;
    worker?: boolean;
    rateLimit?: number;
    seed?: boolean;
    /** Point systems elsewhere than the sample ones (e.g. `cms` at a real Payload), once Concord's URL is known. */
    systems?: (concordUrl: string) => Promise<Record<string, TSystemOverride>>;
  } = {},
): Promise<Harness> {
  const t = await createTestDb();
  const engineRef: { current: Engine | null } = { current: null };
  const intake = await startIntake(engineRef);
  const concordUrl = `http://127.0.0.1:${(intake.address() as AddressInfo).port}`;
  const samples = await startSampleSystems({ concordUrl, seed: opts.seed ?? false });
  const overrides = {
    dashboard: { url: `${samples.url}/dashboard`, auth: `Bearer ${samples.apiKey}`, webhookSecret: samples.secrets.dashboard },
    cms: { url: `${samples.url}/cms`, auth: `users API-Key ${samples.apiKey}`, webhookSecret: samples.secrets.cms },
    "lead-centre": { url: `${samples.url}/lead-centre`, auth: `Bearer ${samples.apiKey}`, webhookSecret: samples.secrets["lead-centre"] },
    onboarding: { url: `${samples.url}/onboarding`, auth: `Bearer ${samples.apiKey}`, webhookSecret: samples.secrets.onboarding },
    maintenance: { url: `${samples.url}/maintenance`, auth: `Bearer ${samples.apiKey}`, webhookSecret: samples.secrets.maintenance },
    ...(opts.systems ? await opts.systems(concordUrl) : {}),
  };
  const engine = await createTestEngine(t, { config: opts.config, overrides });
  await engine.db.update(systems).set({ rateLimitPerSecond: opts.rateLimit ?? 5000, retrySchedule: { delaysSeconds: [1, 1, 1], jitter: 0 } }).where(sql`true`);
  engineRef.current = engine;
  const worker = opts.worker === false ? null : new Worker(engine, { concurrency: 8, idleMs: 200 });
  worker?.start();

  const settle: Harness["settle"] = async ({ timeoutMs = 20_000, allowRetrying = false } = {}) => {
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    while (Date.now() < deadline) {
      await Promise.all(SAMPLE_SYSTEM_KEYS.map((k) => samples.system(k).webhooksIdle()));
      const waitingStatuses = allowRetrying ? sql`('pending', 'in_flight')` : sql`('pending', 'in_flight', 'retrying')`;
      const [row] = await queryRows<{ events: number; deliveries: number }>(
        engine.db,
        sql`select (select count(*)::int from webhook_events where status in ('pending', 'processing')) as events,
                   (select count(*)::int from deliveries where status in ${waitingStatuses}
                      and not (waiting_for is not null and next_attempt_at > now())) as deliveries`,
      );
      if (row!.events === 0 && row!.deliveries === 0) {
        if (++quiet >= 3) return;
      } else quiet = 0;
      if (!worker) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("the engine did not settle in time");
  };

  return {
    t,
    engine,
    samples,
    worker,
    concordUrl,
    settle,
    stop: async () => {
      await worker?.stop();
      await samples.close();
      await new Promise((r) => intake.close(r));
      await t.destroy();
    },
  };
}
