import { eq, sql } from "drizzle-orm";
import { bindingFor } from "~/sync/config";
import { isSyncError, SyncError } from "~/sync/errors";
import { queryRows } from "~/server/db";
import { webhookEvents } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { connectorFor } from "../connections/connector-for";
import { getConnection } from "../connections/get-connection";
import { applyChange } from "../ingest/apply-change";
import type { TObservedChange } from "../ingest/types";
import { envelopeOf } from "./receive-webhook";
import { refreshValueMaps } from "../fleet/value-maps";

const MAX_EVENT_ATTEMPTS = 8;
const KIND = { created: "create", updated: "update", deleted: "delete" } as const;

/**
 * Applies stored webhook events, oldest first. Claimed with SKIP LOCKED and a lease, so a crash
 * leaves the event to be taken again; applying the same event twice changes nothing the second time.
 */
export async function processWebhookEvents(engine: Engine, opts: { limit: number }): Promise<number> {
  const claimed = await queryRows<{ id: number; system: string; body: string; attempts: number }>(
    engine.db,
    sql`update webhook_events e set status = 'processing', lease_until = now() + interval '60 seconds', attempts = attempts + 1
         where e.id in (select id from webhook_events
                         where (status = 'pending' and (lease_until is null or lease_until < now()))
                            or (status = 'processing' and lease_until < now())
                         order by id limit ${opts.limit} for update skip locked)
        returning e.id, e.system, e.body, e.attempts`,
  );
  if (claimed.length) await refreshValueMaps(engine);
  for (const event of claimed.sort((a, b) => Number(a.id) - Number(b.id))) {
    try {
      const change = await toChange(engine, Number(event.id), event.system, event.body);
      // Applied and marked processed in one transaction: one commit per event, and never one without the other.
      const result = await engine.db.transaction(async (tx) => {
        const r = change ? await applyChange(tx, engine.config, change, engine.now()) : { outcome: "ignored", detail: "not a known entity" };
        await tx
          .update(webhookEvents)
          .set({ status: "processed", processedAt: sql`now()`, leaseUntil: null, summary: r, error: null })
          .where(eq(webhookEvents.id, Number(event.id)));
        return r;
      });
      engine.bus.emit({ type: "change", recordId: "recordId" in result ? result.recordId : null, system: event.system, outcome: result.outcome });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const retry = (!isSyncError(err) || err.retryable) && Number(event.attempts) < MAX_EVENT_ATTEMPTS;
      engine.log.warn({ eventId: event.id, system: event.system, err: message, retry }, "webhook event failed");
      const backoffMs = Math.min(60_000, 500 * 2 ** Number(event.attempts));
      await engine.db
        .update(webhookEvents)
        .set({ status: retry ? "pending" : "failed", error: message.slice(0, 1000), leaseUntil: retry ? sql`now() + (${backoffMs} * interval '1 millisecond')` : null })
        .where(eq(webhookEvents.id, Number(event.id)));
    }
  }
  if (claimed.length) engine.bus.wake();
  return claimed.length;
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
