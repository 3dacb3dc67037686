import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveries, deliveryAttempts, runs } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { metricsResponse as TMetricsResponse } from "~/server/services/metrics/metrics-response";
import { createTestDb, TEST_DATABASE_URL, type TestDb } from "../helpers/db";

const TOKEN = "metrics-token-for-the-tests-0123456789";
const PRIVATE = "excerpt-with-private-data-7731";
let t: TestDb | null = null;
type Route = (req: Request, ctx: unknown) => Promise<Response> | Response;
let GET: Route;
let POST: Route;
let engine: Engine;
let metricsResponse: typeof TMetricsResponse;
let closeDb: () => Promise<void>;
const saved = { ...process.env };
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

beforeAll(async () => {
  // The routes read their configuration (and open their database) through ~/env: set it before loading them.
  if (TEST_DATABASE_URL) t = await createTestDb();
  process.env.DATABASE_URL = t?.url ?? "";
  process.env.PGLITE_DIR = "memory://";
  process.env.METRICS_TOKEN = TOKEN;
  process.env.LOG_LEVEL = "silent";
  process.env.CONCORD_ENCRYPTION_KEY = randomBytes(32).toString("hex");
  ({ GET } = (await import("~/app/api/metrics/route")) as unknown as { GET: Route });
  ({ POST } = (await import("~/app/api/webhooks/[system]/route")) as unknown as { POST: Route });
  engine = await (await import("~/server/engine")).getEngine();
  ({ closeDb } = await import("~/server/db"));
  ({ metricsResponse } = await import("~/server/services/metrics/metrics-response"));

  const add = async (system: string, status: string, createdAt: Date, finishedAt: Date | null, outcomes: string[]) => {
    const [d] = await engine.db
      .insert(deliveries)
      .values({ recordId: randomUUID(), entity: "industry", system, status, createdAt, finishedAt, lastError: status === "dead" ? PRIVATE : null })
      .returning({ id: deliveries.id });
    if (outcomes.length) await engine.db.insert(deliveryAttempts).values(outcomes.map((outcome) => ({ deliveryId: Number(d!.id), outcome, excerpt: PRIVATE, at: finishedAt ?? createdAt })));
  };
  // CMS: two delivered 10 minutes ago with lags of 4 s and 6 s, one dead, two waiting (the older for 30 minutes).
  const done = minutesAgo(10);
  await add("cms", "succeeded", new Date(done.getTime() - 4000), done, ["success"]);
  await add("cms", "succeeded", new Date(done.getTime() - 6000), done, ["retry", "success"]);
  await add("cms", "dead", minutesAgo(20), minutesAgo(15), ["retry", "retry", "dead"]);
  await add("cms", "pending", minutesAgo(30), null, []);
  await add("cms", "retrying", minutesAgo(2), null, ["rate_limited"]);
  await add("lead-centre", "in_flight", minutesAgo(1), null, []);
  // Runs: the latest of industry from the Dashboard took 90 s and succeeded; from the CMS, 5 s and failed.
  const run = (system: string, status: string, startedAt: Date, seconds: number) => ({
    entity: "industry", system, kind: "full" as const, trigger: "admin" as const, status, counts: { fetched: 0, created: 0, updated: 0, deleted: 0, unchanged: 0, echoes: 0, conflicts: 0, failed: 0, linked: 0 },
    createdAt: startedAt, startedAt, finishedAt: new Date(startedAt.getTime() + seconds * 1000),
  });
  await engine.db.insert(runs).values([run("dashboard", "failed", minutesAgo(60), 30), run("dashboard", "succeeded", minutesAgo(30), 90), run("cms", "failed", minutesAgo(5), 5)]);
}, 120_000);
afterAll(async () => {
  await closeDb?.();
  await t?.destroy();
  process.env = saved;
});

const scrape = (authorization?: string) => GET(new Request("http://concord.test/api/metrics", { headers: authorization ? { authorization } : {} }), {});

/** The samples of a Prometheus text body: `name{a="1",b="2"}` (labels sorted) → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = (m[2] ?? "").split(",").filter(Boolean).sort().join(",");
    out.set(labels ? `${m[1]}{${labels}}` : m[1]!, Number(m[3]));
  }
  return out;
}

describe("GET /api/metrics", () => {
  it("is off with a 404 saying how to turn it on while METRICS_TOKEN is unset", async () => {
    const res = await metricsResponse({ authorization: `Bearer ${TOKEN}`, token: undefined, engine: () => Promise.resolve(engine) });
    expect(res.status).toBe(404);
    expect((await res.text()).trim()).toBe("Metrics are off. Set METRICS_TOKEN (16+ characters) and scrape with Authorization: Bearer <token>.");
  });

  it("answers 401 without the token, with a wrong one or another scheme", async () => {
    for (const header of [undefined, "Bearer wrong", `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, TOKEN]) {
      const res = await scrape(header);
      expect([header, res.status]).toEqual([header, 401]);
      expect(await res.text()).toMatch(/^Missing or wrong metrics token/);
    }
  });

  it("with the token, reports queue, deliveries, attempts, lag, runs and webhook answers from the database", async () => {
    // Two webhook answers go through the real route first: an unknown system (404) and a bad signature (401).
    const hook = (system: string) =>
      POST(new Request(`http://concord.test/api/webhooks/${system}`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } }), { params: Promise.resolve({ system }) });
    expect((await hook("no-such-system")).status).toBe(404);
    expect((await hook("cms")).status).toBe(401);

    const res = await scrape(`Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await res.text();
    expect(body).toContain("# TYPE concord_delivery_attempts_total counter");
    expect(body).toContain("# TYPE concord_queue_depth gauge");
    expect(body).toContain("# TYPE concord_deliveries_finished gauge");
    expect(body).toContain("# TYPE concord_webhook_responses_total counter");
    const m = samples(body);
    expect(m.get('concord_queue_depth{status="pending",system="cms"}')).toBe(1);
    expect(m.get('concord_queue_depth{status="retrying",system="cms"}')).toBe(1);
    expect(m.get('concord_queue_depth{status="in_flight",system="lead-centre"}')).toBe(1);
    expect(m.get('concord_queue_depth{status="pending",system="dashboard"}')).toBe(0);
    expect(m.get('concord_deliveries_finished{status="succeeded",system="cms"}')).toBe(2);
    expect(m.get('concord_deliveries_finished{status="dead",system="cms"}')).toBe(1);
    expect(m.get('concord_delivery_attempts_total{outcome="success",system="cms"}')).toBe(2);
    expect(m.get('concord_delivery_attempts_total{outcome="retry",system="cms"}')).toBe(3);
    expect(m.get('concord_delivery_attempts_total{outcome="dead",system="cms"}')).toBe(1);
    expect(m.get('concord_delivery_attempts_total{outcome="rate_limited",system="cms"}')).toBe(1);
    // 4 failed attempts of 7, but one belongs to a delivery that has gone through since: health (and this
    // ratio) follow the current state, so 3 of 7.
    expect(m.get('concord_delivery_error_ratio{system="cms"}')).toBeCloseTo(3 / 7, 10);
    expect(m.get('concord_delivery_lag_seconds{quantile="0.5",system="cms"}')).toBe(5);
    expect(m.get('concord_delivery_lag_seconds{quantile="0.95",system="cms"}')).toBeCloseTo(5.9, 10);
    expect(m.get('concord_last_delivery_success_timestamp_seconds{system="cms"}')).toBeCloseTo(minutesAgo(10).getTime() / 1000, -2);
    expect(m.get('concord_oldest_waiting_delivery_age_seconds{system="cms"}')).toBeGreaterThanOrEqual(30 * 60);
    expect(m.get('concord_oldest_waiting_delivery_age_seconds{system="dashboard"}')).toBe(0);
    expect(m.get('concord_system_enabled{system="cms"}')).toBe(1);
    expect(m.get('concord_run_last_duration_seconds{entity="industry",system="dashboard"}')).toBe(90);
    expect(m.get('concord_run_last_succeeded{entity="industry",system="dashboard"}')).toBe(1);
    expect(m.get('concord_run_last_duration_seconds{entity="industry",system="cms"}')).toBe(5);
    expect(m.get('concord_run_last_succeeded{entity="industry",system="cms"}')).toBe(0);
    expect(m.get("concord_open_conflicts")).toBe(0);
    expect(m.get('concord_webhook_responses_total{code="404",system="unknown"}')).toBe(1);
    expect(m.get('concord_webhook_responses_total{code="401",system="cms"}')).toBe(1);
    // Nothing from a record, a response or a secret reaches the labels or values.
    expect(body).not.toContain(PRIVATE);
    expect(body).not.toContain(TOKEN);
    expect(body).not.toContain("no-such-system");
  });
});
