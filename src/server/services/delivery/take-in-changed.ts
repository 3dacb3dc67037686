import { sql } from "drizzle-orm";
import type { TBinding } from "~/sync/config";
import type { Connector } from "~/sync/connectors";
import { SyncError } from "~/sync/errors";
import { docTime } from "~/sync/mapping";
import type { Engine } from "~/server/engine/context";
import { deliveries } from "~/server/db/schema";
import { queryRows, type Db } from "~/server/db";
import { wakeOnCommit } from "~/server/db/wake-on-commit";
import { applyChange } from "../ingest/apply-change";
import { hasUnfinishedEvents } from "../webhooks/claim-webhook-events";
import type { TClaimed } from "./claim";
import { absorbedFields } from "./enqueue";

/** How long the record waits to go out again when stored events of the document are to be applied first. */
const EVENTS_FIRST_MS = 1_000;
/** After a first refusal, how long events on their way from the system get to arrive before the document is read. */
const FIRST_REFUSAL_WAIT_MS = 2_000;
/** A refusal this recent of the same (record, system) makes the next one read the document at once. */
const REFUSAL_MEMORY = sql`interval '15 seconds'`;

/**
 * A conditional update was refused: the document changed in the target since the version Concord last saw
 * there — an edit whose webhook was dropped, or is still on its way. Concord's write would have gone over an
 * edit it has never seen, so instead the document is read and applied as a change from that system, merged by
 * the times of the edits like any other (a newer edit there wins; an older one loses and is recorded as a
 * conflict), and the record goes out to that system again in a fresh delivery carrying the new version.
 * A read dates every field of the document by its newest edit (one updated-at per document), so an older edit
 * there would beat a newer one here. So the events that report those edits one by one, each with its own time,
 * go first where they can: when events of that document are stored and not applied yet, and on a first refusal
 * (its events are most likely still on their way: a sender's delay), the record goes out again a moment later
 * instead; only when it is refused again with nothing stored — the edit's event was lost — is the document read.
 * The refused send leaves the echo ledger: it was never applied, so nothing there is Concord's copy of it.
 */
export async function takeInChanged(
  engine: Engine,
  o: { claimed: TClaimed; binding: TBinding; connector: Connector; externalId: string; ifVersion: Date; fields: string[] },
): Promise<string> {
  const { claimed, binding } = o;
  const again = { claimed, fields: o.fields };
  const stored = await hasUnfinishedEvents(engine, { system: claimed.system, entity: claimed.entity, externalId: o.externalId });
  if (stored || !(await refusedRecently(engine.db, claimed))) {
    await engine.db.transaction(async (tx) => {
      await forgetRefusedSend(tx, claimed.id);
      await sendAgain(tx, { ...again, afterMs: stored ? EVENTS_FIRST_MS : FIRST_REFUSAL_WAIT_MS });
    });
    return stored
      ? `changed in ${claimed.system} since Concord last saw it: its stored events go first, and the record goes out again after them`
      : `changed in ${claimed.system} since Concord last saw it: the record goes out again in a moment, after the events of that change`;
  }
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

/** Whether an earlier delivery of this (record, system) was refused a moment ago (its attempts are stored when it ends). */
async function refusedRecently(db: Db, claimed: TClaimed): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`select 1 from deliveries d join delivery_attempts a on a.delivery_id = d.id
         where d.record_id = ${claimed.record_id} and d.system = ${claimed.system} and d.id <> ${claimed.id}
           and a.status_code = 412 and a.at > now() - ${REFUSAL_MEMORY} limit 1`,
  );
  return rows.length > 0;
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
  wakeOnCommit(tx);
}
