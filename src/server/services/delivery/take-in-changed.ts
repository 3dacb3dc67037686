import { sql } from "drizzle-orm";
import type { TBinding } from "~/sync/config";
import type { Connector } from "~/sync/connectors";
import { SyncError } from "~/sync/errors";
import { docTime } from "~/sync/mapping";
import type { Engine } from "~/server/engine/context";
import { deliveries } from "~/server/db/schema";
import type { Db } from "~/server/db";
import { applyChange } from "../ingest/apply-change";
import { hasUnfinishedEvents } from "../webhooks/claim-webhook-events";
import type { TClaimed } from "./claim";
import { absorbedFields } from "./enqueue";

/** How long the record waits to go out again when stored events of the document are to be applied first. */
const EVENTS_FIRST_MS = 1_000;

/**
 * A conditional update was refused: the document changed in the target since the version Concord last saw
 * there — an edit whose webhook was dropped, or is still on its way. Concord's write would have gone over an
 * edit it has never seen, so instead the document is read and applied as a change from that system, merged by
 * the times of the edits like any other (a newer edit there wins; an older one loses and is recorded as a
 * conflict), and the record goes out to that system again in a fresh delivery carrying the new version.
 * When events of that document are stored and not applied yet, they go first instead, each with its own time
 * (a read now would date every field by the newest edit, so an older edit there would beat a newer one here);
 * the record goes out again a moment later, and is refused again only if an edit is still unseen after them.
 * The refused send leaves the echo ledger: it was never applied, so nothing there is Concord's copy of it.
 */
export async function takeInChanged(
  engine: Engine,
  o: { claimed: TClaimed; binding: TBinding; connector: Connector; rate: () => Promise<void>; externalId: string; ifVersion: Date; fields: string[] },
): Promise<string> {
  const { claimed, binding } = o;
  const again = { claimed, fields: o.fields };
  if (await hasUnfinishedEvents(engine, { system: claimed.system, entity: claimed.entity, externalId: o.externalId })) {
    await engine.db.transaction(async (tx) => {
      await forgetRefusedSend(tx, claimed.id);
      await sendAgain(tx, { ...again, afterMs: EVENTS_FIRST_MS });
    });
    return `changed in ${claimed.system} since Concord last saw it: its stored events go first, and the record goes out again after them`;
  }
  await o.rate();
  const doc = await o.connector.get(binding.resource, o.externalId);
  const version = doc ? docTime(binding, doc) : null;
  if (doc && version?.getTime() === o.ifVersion.getTime()) {
    // It refused the version it still reports: it does not compare If-Match with its updated-at. Sending again
    // would loop; a dead delivery says so instead.
    throw new SyncError("UPSTREAM_PERMANENT", `${claimed.system} refused an update for the version it still holds (${version.toISOString()}): it does not honour If-Match with its updated-at; turn conditionalUpdates off for it.`);
  }
  const result = await engine.db.transaction(async (tx) => {
    const applied = await applyChange(
      tx,
      engine.config,
      { entity: claimed.entity, system: claimed.system, kind: doc ? "update" : "delete", externalId: o.externalId, doc, eventTime: null },
      engine.now(),
    );
    await forgetRefusedSend(tx, claimed.id);
    if (doc) await sendAgain(tx, { ...again, afterMs: 0 });
    return applied;
  });
  engine.bus.emit({ type: "change", recordId: claimed.record_id, system: claimed.system, outcome: result.outcome });
  return doc
    ? `changed in ${claimed.system} since Concord last saw it: its change was taken in first (${result.outcome}), and the record goes out again`
    : `deleted in ${claimed.system} since Concord last saw it: the delete was taken in`;
}

/** The refused send was never applied: out of the echo ledger (the last entry of its delivery). */
async function forgetRefusedSend(tx: Db, deliveryId: number): Promise<void> {
  await tx.execute(sql`update deliveries set sent = case when jsonb_array_length(sent) > 1 then sent - (-1) end where id = ${deliveryId} and sent is not null`);
}

/** Queues the record for that system again (a waiting delivery absorbs the fields and waits at least as long). */
async function sendAgain(tx: Db, o: { claimed: TClaimed; fields: string[]; afterMs: number }): Promise<void> {
  const { claimed } = o;
  await tx
    .insert(deliveries)
    .values({
      recordId: claimed.record_id,
      entity: claimed.entity,
      system: claimed.system,
      fields: o.fields,
      runId: claimed.run_id,
      nextAttemptAt: sql`now() + (${o.afterMs}::float8 * interval '1 millisecond')`,
    })
    .onConflictDoUpdate({
      target: [deliveries.recordId, deliveries.system],
      targetWhere: sql`${deliveries.status} in ('pending', 'retrying')`,
      set: {
        fields: absorbedFields,
        nextAttemptAt: sql`greatest(${deliveries.nextAttemptAt}, excluded.next_attempt_at)`,
        updatedAt: sql`now()`,
      },
    });
}
