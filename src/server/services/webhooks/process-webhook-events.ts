import { eq, sql } from "drizzle-orm";
import { bindingFor } from "~/sync/config";
import { isSyncError, SyncError } from "~/sync/errors";
import { decideFailure, EVENT_RETRY_SCHEDULE } from "~/sync/retry";
import { commitWithoutFlush } from "~/server/db";
import { webhookEventAttempts, webhookEvents } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { connectorFor } from "../connections/connector-for";
import { getConnection } from "../connections/get-connection";
import { applyChange } from "../ingest/apply-change";
import type { TObservedChange } from "../ingest/types";
import { claimWebhookEvents, releaseEvents, renewEventLeases, type TClaimedEvent } from "./claim-webhook-events";
import { envelopeOf } from "./receive-webhook";
import { refreshValueMaps } from "../fleet/value-maps";

const KIND = { created: "create", updated: "update", deleted: "delete" } as const;

/** A webhook event's claim lasts this long unless renewed (the worker passes its own lease). */
export const DEFAULT_EVENT_LEASE_MS = 15_000;

/**
 * Applies stored webhook events, oldest first, each after every older event of its document (see
 * `claimWebhookEvents`). Claimed with SKIP LOCKED and a short lease that is renewed, for every event of the
 * batch not applied yet, while the batch is being applied: a slow event never lets a later one expire, and a
 * dead worker's events come back within a lease. Applying the same event twice changes nothing the second time.
 */
export async function processWebhookEvents(engine: Engine, opts: { limit: number; leaseMs?: number }): Promise<number> {
  const leaseMs = opts.leaseMs ?? DEFAULT_EVENT_LEASE_MS;
  const claimed = await claimWebhookEvents(engine, { limit: opts.limit, leaseMs });
  if (claimed.length === 0) return 0;
  const held = new Set(claimed.map((e) => e.id));
  let renewing: Promise<void> = Promise.resolve();
  const beat = setInterval(() => {
    renewing = renewEventLeases(engine, [...held], leaseMs).catch((err: unknown) => engine.log.warn({ err: String(err) }, "could not renew webhook event leases"));
  }, Math.max(200, Math.floor(leaseMs / 3)));
  // A document whose event failed (and will be retried): its later events in this batch wait for it.
  const failedDocs = new Set<string>();
  try {
    await refreshValueMaps(engine);
    for (const event of claimed) {
      if (event.doc !== null && failedDocs.has(event.doc)) {
        await releaseEvents(engine, [event.id]);
        held.delete(event.id);
        continue;
      }
      const retried = await applyEvent(engine, event);
      held.delete(event.id);
      if (retried && event.doc !== null) failedDocs.add(event.doc);
    }
  } finally {
    clearInterval(beat);
    await renewing;
  }
  return claimed.length;
}

/** Applies one claimed event; true when it failed and goes back to wait for a retry. */
async function applyEvent(engine: Engine, event: TClaimedEvent): Promise<boolean> {
  const started = Date.now();
  try {
    const change = await toChange(engine, event.id, event.system, event.body);
    // Applied and marked processed in one transaction: one commit per event, and never one without the other. It
    // need not wait for its flush: lost in a server crash, the event (stored durably before its 202) is applied again.
    const result = await engine.db.transaction(async (tx) => {
      await commitWithoutFlush(tx);
      const r = change ? await applyChange(tx, engine.config, change, engine.now()) : { outcome: "ignored", detail: "not a known entity" };
      await tx
        .update(webhookEvents)
        .set({ status: "processed", processedAt: sql`now()`, leaseUntil: null, summary: r, error: null })
        .where(eq(webhookEvents.id, event.id));
      return r;
    });
    engine.bus.emit({ type: "change", recordId: "recordId" in result ? result.recordId : null, system: event.system, outcome: result.outcome });
    return false;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // The same policy as a delivery's (src/sync/retry.ts), on the events' own schedule; `attempts` counts this claim.
    const error = isSyncError(err) ? err : { code: "INTERNAL", retryable: true };
    const decision = decideFailure({ error, attempts: event.attempts - 1, schedule: EVENT_RETRY_SCHEDULE, random: Math.random });
    const retry = decision.status === "retrying";
    engine.log.warn({ eventId: event.id, system: event.system, err: message, retry }, "webhook event failed");
    const stored = message.slice(0, 1000);
    // The attempt is kept as data with the decision, in the same transaction (the event's page lists them).
    await engine.db.transaction(async (tx) => {
      await tx
        .update(webhookEvents)
        .set({ status: retry ? "pending" : "failed", error: stored, leaseUntil: retry ? sql`now() + (${decision.delayMs}::float8 * interval '1 millisecond')` : null })
        .where(eq(webhookEvents.id, event.id));
      await tx.insert(webhookEventAttempts).values({ eventId: event.id, outcome: retry ? "retrying" : "failed", error: stored, durationMs: Date.now() - started });
    });
    return retry;
  }
}

/** Envelope → observed change; a thin event (only the id) makes Concord fetch the current document. */
async function toChange(engine: Engine, eventId: number, system: string, body: string): Promise<TObservedChange | null> {
  const envelope = envelopeOf(engine, system, JSON.parse(body));
  const [entity, verb] = envelope.type.split(".") as [string, keyof typeof KIND];
  const binding = bindingFor(engine.config, entity, system);
  if (!binding) return null;
  const externalId = String(envelope.data[binding.idField]);
  const kind = KIND[verb];
  let doc: Record<string, unknown> | null = kind === "delete" ? null : envelope.data;
  const thin = doc && Object.keys(doc).every((k) => k === binding.idField);
  const eventTime = envelope.timestamp ? new Date(envelope.timestamp) : null;
  if (thin) {
    const connector = connectorFor(engine, await getConnection(engine, system));
    doc = await connector.get(binding.resource, externalId);
    // A hook that fires before its write commits (Payload's afterChange) can be read too early: try later.
    const updated = doc && binding.updatedAtField ? Date.parse(String(doc[binding.updatedAtField])) : NaN;
    if (eventTime && !Number.isNaN(updated) && updated < eventTime.getTime() - 1000) {
      throw new SyncError("UPSTREAM_RETRYABLE", "The document read is older than the event: reading it again later.");
    }
  }
  return {
    entity,
    system,
    kind: thin && !doc ? "delete" : kind,
    externalId,
    doc,
    eventTime: eventTime && !Number.isNaN(eventTime.getTime()) ? eventTime : null,
    webhookEventId: eventId,
  };
}
