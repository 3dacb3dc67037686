// A tiny closed-loop HTTP load generator: `connections` keep-alive sockets, each sending one signed
// Standard Webhooks request after another (a fresh envelope and a unique webhook-id every time).
import { Agent, request } from "node:http";
import { randomBytes } from "node:crypto";
import { signWebhook } from "~/sync/signature";
import { percentile, round } from "./common";

export interface LoadResult {
  requests: number;
  ok: number;
  errors: number;
  statuses: Record<string, number>;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function post(agent: Agent, url: URL, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", () => resolve(0));
    });
    req.setTimeout(10_000, () => req.destroy());
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

let seq = 0;
const runId = randomBytes(4).toString("hex");

/** One fresh, signed `industry.updated` event as the sample Dashboard would send it. */
function envelope(secret: string): { headers: Record<string, string>; body: string } {
  const i = ++seq;
  const now = new Date();
  const body = JSON.stringify({
    type: "industry.updated",
    timestamp: now.toISOString(),
    data: {
      id: 1_000_000 + i,
      name: `Bench Industry ${runId} ${i}`,
      slug: `bench-industry-${runId}-${i}`,
      description: `Synthetic industry #${i} sent by the ingest benchmark.`,
      is_active: true,
      cms_id: null,
      internal_notes: "",
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    },
  });
  const id = `msg_${runId}_${i}`;
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    body,
    headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signWebhook({ secret, id, timestamp, body }) },
  };
}

/** Loads `url` for `warmupMs` (not counted) and then `durationMs`, with `connections` requests in flight. */
export async function runLoad(opts: { url: string; secret: string; connections: number; durationMs: number; warmupMs: number }): Promise<LoadResult> {
  const url = new URL(opts.url);
  const agent = new Agent({ keepAlive: true, maxSockets: opts.connections });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let counting = false;
  let stopAt = Infinity;
  const started = performance.now();
  const warmEnd = started + opts.warmupMs;
  let measureStart = warmEnd;
  const loop = async () => {
    while (performance.now() < stopAt) {
      const { headers, body } = envelope(opts.secret);
      const t = performance.now();
      const status = await post(agent, url, headers, body);
      const end = performance.now();
      if (!counting && end >= warmEnd) {
        counting = true;
        measureStart = end;
        stopAt = end + opts.durationMs;
      }
      if (counting && t >= measureStart && end <= stopAt) {
        latencies.push(end - t);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }
  };
  // Before the warm-up ends nothing stops the loops; make sure they stop even if no request ever returns.
  const guard = setTimeout(() => {
    if (!counting) stopAt = 0;
  }, opts.warmupMs + opts.durationMs + 30_000);
  await Promise.all(Array.from({ length: opts.connections }, loop));
  clearTimeout(guard);
  agent.destroy();
  const seconds = (stopAt - measureStart) / 1000;
  const ok = Object.entries(statuses).reduce((s, [code, n]) => s + (code.startsWith("2") ? n : 0), 0);
  return {
    requests: latencies.length,
    ok,
    errors: latencies.length - ok,
    statuses,
    seconds: round(seconds, 2),
    perSecond: round(ok / seconds),
    p50: round(percentile(latencies, 50), 1),
    p95: round(percentile(latencies, 95), 1),
    p99: round(percentile(latencies, 99), 1),
    max: round(Math.max(...latencies), 1),
  };
}
