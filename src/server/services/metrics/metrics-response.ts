import type { Engine } from "~/server/engine/context";
import { isCronAuthorized as bearerMatches } from "../schedules/cron-auth";
import { readMetrics } from "./read-metrics";
import { renderMetrics } from "./render-metrics";

const text = (body: string, status: number, headers: Record<string, string> = {}) =>
  new Response(`${body}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers } });

/**
 * GET /api/metrics: off (404, saying how to turn it on) without a token configured; 401 unless
 * `Authorization: Bearer <token>` matches it (compared in constant time); else the Prometheus text.
 */
export async function metricsResponse(opts: { authorization: string | null; token: string | undefined; engine: () => Promise<Engine> }): Promise<Response> {
  if (!opts.token) return text("Metrics are off. Set METRICS_TOKEN (16+ characters) and scrape with Authorization: Bearer <token>.", 404);
  if (!bearerMatches(opts.authorization, opts.token)) {
    return text("Missing or wrong metrics token: send Authorization: Bearer <METRICS_TOKEN>.", 401, { "www-authenticate": 'Bearer realm="concord-metrics"' });
  }
  const { body, contentType } = await renderMetrics(await readMetrics({ engine: await opts.engine() }));
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}
