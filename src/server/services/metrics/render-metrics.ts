import { Counter, Gauge, Registry } from "prom-client";
import type { TMetricsSnapshot } from "./read-metrics";
import { webhookResponseCounts } from "./webhook-responses";

/**
 * The Prometheus text for one scrape, from a snapshot of the database and this process's webhook counts.
 * A fresh registry per scrape, so concurrent scrapes never see each other's half-set values.
 *
 * Types: a count read from an append-only table (attempts) is a counter — it only grows; a count that
 * can shrink (deliveries by status: a replay moves a dead one back to the queue) is a gauge and is not
 * named *_total; figures over the last hour (error ratio, lag quantiles) are gauges.
 * Labels are system, entity, status, outcome and HTTP code only: configured keys, never record data.
 */
export async function renderMetrics(s: TMetricsSnapshot): Promise<{ body: string; contentType: string }> {
  const registers = [new Registry()];
  const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers });
  const counter = (name: string, help: string, labelNames: string[]) => new Counter({ name, help, labelNames, registers });

  const queue = gauge("concord_queue_depth", "Deliveries waiting to reach a system, by status (pending, retrying, in_flight).", ["system", "status"]);
  const oldest = gauge("concord_oldest_waiting_delivery_age_seconds", "Age of the oldest delivery waiting to reach a system; 0 when none waits.", ["system"]);
  const lastSuccess = gauge("concord_last_delivery_success_timestamp_seconds", "When a delivery to the system last succeeded (Unix time).", ["system"]);
  const errorRatio = gauge("concord_delivery_error_ratio", "Failed attempts of deliveries not delivered since / attempts to the system over the last hour (absent with no attempt).", ["system"]);
  const lag = gauge("concord_delivery_lag_seconds", "Change recorded to delivered, over the last hour's succeeded deliveries (quantile 0.5 and 0.95).", ["system", "quantile"]);
  const enabled = gauge("concord_system_enabled", "1 when the system is enabled, 0 when an admin turned it off.", ["system"]);
  const paused = gauge("concord_system_paused", "1 while the system is paused after repeated failures.", ["system"]);
  for (const h of s.health) {
    const system = h.key;
    for (const status of ["pending", "retrying", "in_flight"] as const) queue.set({ system, status }, h.queue[status]);
    oldest.set({ system }, (h.oldestWaitingAgeMs ?? 0) / 1000);
    if (h.lastSuccessAt) lastSuccess.set({ system }, h.lastSuccessAt.getTime() / 1000);
    if (h.errorRate !== null) errorRatio.set({ system }, h.errorRate);
    if (h.lagP50Ms !== null) lag.set({ system, quantile: "0.5" }, h.lagP50Ms / 1000);
    if (h.lagP95Ms !== null) lag.set({ system, quantile: "0.95" }, h.lagP95Ms / 1000);
    enabled.set({ system }, h.enabled ? 1 : 0);
    paused.set({ system }, h.state === "paused" ? 1 : 0);
  }

  const attempts = counter("concord_delivery_attempts_total", "HTTP attempts of deliveries, by system and outcome (success, retry, rate_limited, dead).", ["system", "outcome"]);
  for (const a of s.attempts) attempts.inc({ system: a.system, outcome: a.outcome }, Number(a.n));
  const finished = gauge("concord_deliveries_finished", "Deliveries that finished, by system and status (succeeded, dead, superseded, cancelled); a replay moves a dead one back to the queue.", ["system", "status"]);
  for (const f of s.finished) finished.set({ system: f.system, status: f.status }, Number(f.n));

  const runDuration = gauge("concord_run_last_duration_seconds", "How long the latest finished run of an entity from a system took.", ["entity", "system"]);
  const runOk = gauge("concord_run_last_succeeded", "1 when the latest finished run of an entity from a system succeeded, else 0.", ["entity", "system"]);
  for (const r of s.lastRuns) {
    runDuration.set({ entity: r.entity, system: r.system }, Number(r.seconds));
    runOk.set({ entity: r.entity, system: r.system }, r.status === "succeeded" ? 1 : 0);
  }
  gauge("concord_open_conflicts", "Conflicts waiting for a policy or an admin.").set(s.openConflicts);

  const webhooks = counter("concord_webhook_responses_total", "Answers of POST /api/webhooks/{system} in this process, by system and HTTP status.", ["system", "code"]);
  for (const w of webhookResponseCounts()) webhooks.inc({ system: w.system, code: w.code }, w.count);

  return { body: await registers[0]!.metrics(), contentType: registers[0]!.contentType };
}
