import { sql } from "drizzle-orm";
import type { TBinding } from "~/sync/config";
import type { Connector } from "~/sync/connectors";
import { SyncError } from "~/sync/errors";
import { docTime } from "~/sync/mapping";
import type { Engine } from "~/server/engine/context";
import { applyChange } from "../ingest/apply-change";
import type { TClaimed } from "./claim";
import { enqueueDeliveries } from "./enqueue";

/**
 * A conditional update was refused: the document changed in the target since the version Concord last saw
 * there — an edit whose webhook was dropped, or is still on its way. Concord's write would have gone over an
 * edit it has never seen, so instead the document is read and applied as a change from that system, merged by
 * the times of the edits like any other (a newer edit there wins; an older one loses and is recorded as a
 * conflict), and the record goes out to that system again in a fresh delivery carrying the new version.
 * The refused send leaves the echo ledger: it was never applied, so nothing there is Concord's copy of it.
 */
export async function takeInChanged(
  engine: Engine,
  o: { claimed: TClaimed; binding: TBinding; connector: Connector; rate: () => Promise<void>; externalId: string; ifVersion: Date; fields: string[] },
): Promise<string> {
  const { claimed, binding } = o;
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
    await tx.execute(sql`update deliveries set sent = case when jsonb_array_length(sent) > 1 then sent - (-1) end where id = ${claimed.id} and sent is not null`);
    if (doc) await enqueueDeliveries(tx, { recordId: claimed.record_id, entity: claimed.entity, systems: [claimed.system], fields: o.fields, runId: claimed.run_id });
    return applied;
  });
  engine.bus.emit({ type: "change", recordId: claimed.record_id, system: claimed.system, outcome: result.outcome });
  return doc
    ? `changed in ${claimed.system} since Concord last saw it: its change was taken in first (${result.outcome}), and the record goes out again`
    : `deleted in ${claimed.system} since Concord last saw it: the delete was taken in`;
}
