import type { TSyncConfig } from "~/sync/config";

/**
 * Webhook answers counted in this process, by system and HTTP status, for /api/metrics. Kept on
 * globalThis because Next loads each route bundle as its own module instance: the webhook route and
 * the metrics route must share one count. Per process, like any in-process Prometheus counter.
 */
const store = globalThis as unknown as { __concordWebhookResponses?: Map<string, number> };
const counts = () => (store.__concordWebhookResponses ??= new Map());

/**
 * Counts one answer. The system comes from the URL, so anything not configured is counted as
 * "unknown": a caller cannot mint label values (or slip data into them).
 */
export function countWebhookResponse(config: TSyncConfig, system: string, status: number): void {
  const key = `${Object.hasOwn(config.systems, system) ? system : "unknown"}\u0000${Math.trunc(status)}`;
  counts().set(key, (counts().get(key) ?? 0) + 1);
}

/** What was counted so far. */
export function webhookResponseCounts(): { system: string; code: string; count: number }[] {
  return [...counts()].map(([key, count]) => {
    const [system, code] = key.split("\u0000") as [string, string];
    return { system, code, count };
  });
}
