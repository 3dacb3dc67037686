import { and, eq, sql } from "drizzle-orm";
import type { TConnectorAttempt } from "~/sync/connectors";
import type { SyncError } from "~/sync/errors";
import { idKey, type TValues } from "~/sync/mapping";
import { idKeepers } from "~/sync/plan";
import { DEFAULT_RETRY_SCHEDULE, nextRetryDelayMs, type TRetrySchedule } from "~/sync/retry";
import type { Db } from "~/server/db";
import { deliveries, deliveryAttempts, links } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TClaimed } from "./claim";
import { enqueueDeliveries } from "./enqueue";

export interface TSuccess {
  action: string;
  externalId?: string;
  sent?: TValues;
  created?: boolean;
  deleted?: boolean;
  linkedBy?: string;
  detail?: string;
  attempts: TConnectorAttempt[];
  started: number;
}

async function writeAttempts(tx: Db, deliveryId: number, attempts: TConnectorAttempt[], outcome: string, error: string | null): Promise<void> {
  if (attempts.length === 0) return;
  await tx.insert(deliveryAttempts).values(
    attempts.map((a, i) => ({
      deliveryId,
      method: a.method,
      url: a.url,
      statusCode: a.status,
      outcome: i === attempts.length - 1 ? outcome : "success",
      excerpt: a.excerpt.slice(0, 500),
      error: i === attempts.length - 1 ? error : null,
      durationMs: Math.round(a.durationMs),
    })),
  );
}

/** Marks a delivery done, stores the link and what the target now agrees on, and queues link-backs. */
export async function recordSuccess(engine: Engine, claimed: TClaimed, s: TSuccess): Promise<void> {
  await engine.db.transaction(async (tx) => {
    if (s.externalId) {
      const lastValues = s.deleted ? { $deleted: true } : (s.sent ?? null);
      await tx
        .insert(links)
        .values({ recordId: claimed.record_id, entity: claimed.entity, system: claimed.system, externalId: s.externalId, lastValues, origin: s.linkedBy ?? "sync", lastSyncedAt: sql`now()` })
        .onConflictDoUpdate({
          target: [links.recordId, links.system],
          set: {
            lastValues: s.deleted ? { $deleted: true } : sql`coalesce(${links.lastValues}, '{}'::jsonb) - '$deleted' || ${JSON.stringify(s.sent ?? {})}::jsonb`,
            lastSyncedAt: sql`now()`,
          },
        });
      const [link] = await tx.select().from(links).where(and(eq(links.recordId, claimed.record_id), eq(links.system, claimed.system)));
      if (link && link.externalId !== s.externalId) {
        engine.log.error({ deliveryId: claimed.id, system: claimed.system, linked: link.externalId, got: s.externalId }, "target returned a different id than the link holds");
      }
    }
    if (s.created || s.linkedBy) {
      // Systems that keep this system's id (the Dashboard's cms_id) are told it: seed rules 3-5.
      const keepers = idKeepers(engine.config, claimed.entity, claimed.system);
      await enqueueDeliveries(tx, { recordId: claimed.record_id, entity: claimed.entity, systems: keepers, fields: [idKey(claimed.system)], runId: claimed.run_id });
    }
    await writeAttempts(tx, claimed.id, s.attempts, "success", null);
    await tx
      .update(deliveries)
      .set({ status: "succeeded", action: s.action, lastError: null, finishedAt: sql`now()`, updatedAt: sql`now()`, leaseUntil: null, waitingFor: null })
      .where(and(eq(deliveries.id, claimed.id), eq(deliveries.status, "in_flight")));
  });
  engine.bus.emit({ type: "delivery", id: claimed.id, recordId: claimed.record_id, system: claimed.system, status: "succeeded", action: s.action });
}

/**
 * A failed attempt: a 429 waits for Retry-After without counting as a failure; a retryable error is
 * tried again on the system's schedule (with jitter); a permanent one, or one past the schedule, is dead.
 */
export async function recordFailure(
  engine: Engine,
  claimed: TClaimed,
  f: { error: SyncError; attempts: TConnectorAttempt[]; started: number; schedule: TRetrySchedule | null },
): Promise<void> {
  const { error } = f;
  const message = `${error.message}${error.status ? ` (HTTP ${error.status})` : ""}`.slice(0, 1000);
  const rateLimited = error.code === "UPSTREAM_RATE_LIMITED";
  const failures = rateLimited ? claimed.attempts : claimed.attempts + 1;
  const delay = rateLimited
    ? Math.max(error.retryAfterMs ?? 1000, 100)
    : error.retryable
      ? nextRetryDelayMs({ schedule: f.schedule ?? DEFAULT_RETRY_SCHEDULE, attempt: failures, random: engine.random, retryAfterMs: error.retryAfterMs ?? null })
      : null;
  const status = delay === null ? "dead" : "retrying";
  const outcome = rateLimited ? "rate_limited" : status === "dead" ? "dead" : "retry";
  const attempts = f.attempts.length ? f.attempts : [{ method: "", url: "", status: null, durationMs: Date.now() - f.started, excerpt: "" }];
  await engine.db.transaction(async (tx) => {
    await writeAttempts(tx, claimed.id, attempts, outcome, message);
    const nextAttemptAt = delay === null ? sql`now()` : sql`now() + (${delay} * interval '1 millisecond')`;
    if (status === "retrying") {
      // A newer change queued a delivery for the same pair while this one was in flight: it carries on
      // with this one's failure count and backoff, and this one steps aside.
      const carried = await tx
        .update(deliveries)
        .set({ status: "retrying", attempts: failures, lastError: message, nextAttemptAt, updatedAt: sql`now()` })
        .where(and(eq(deliveries.recordId, claimed.record_id), eq(deliveries.system, claimed.system), sql`${deliveries.status} in ('pending', 'retrying')`))
        .returning({ id: deliveries.id });
      if (carried.length) {
        await tx
          .update(deliveries)
          .set({ status: "superseded", lastError: message, leaseUntil: null, finishedAt: sql`now()`, updatedAt: sql`now()` })
          .where(and(eq(deliveries.id, claimed.id), eq(deliveries.status, "in_flight")));
        return;
      }
    }
    await tx
      .update(deliveries)
      .set({
        status,
        attempts: failures,
        lastError: message,
        leaseUntil: null,
        updatedAt: sql`now()`,
        nextAttemptAt,
        finishedAt: status === "dead" ? sql`now()` : null,
      })
      .where(and(eq(deliveries.id, claimed.id), eq(deliveries.status, "in_flight")));
  });
  engine.bus.emit({ type: "delivery", id: claimed.id, recordId: claimed.record_id, system: claimed.system, status, action: null, error: message });
}
