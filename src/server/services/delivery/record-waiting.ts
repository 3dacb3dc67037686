import { and, eq, sql } from "drizzle-orm";
import { isRecordId, parsePendingRef } from "~/sync/identifiers";
import { queryRows, type Db } from "~/server/db";
import { deliveries } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TClaimed } from "./claim";

/** How long a delivery waiting for its parent sleeps before it looks again on its own (it is also woken). */
export const WAIT_RECHECK_MS = 30_000;

/** Has the parent a waiting delivery names (`<entity>:<record id | system:id>`) reached `system` by now? */
async function parentLanded(tx: Db, system: string, key: string): Promise<boolean> {
  const at = key.indexOf(":");
  const entity = key.slice(0, at);
  const ref = key.slice(at + 1);
  const pending = isRecordId(ref) ? null : parsePendingRef(ref);
  const rows = await queryRows<{ landed: boolean }>(
    tx,
    pending
      ? sql`select exists (select 1 from links a join links b on b.record_id = a.record_id
              where a.system = ${pending.system} and a.entity = ${entity} and a.external_id = ${pending.externalId} and b.system = ${system}) as landed`
      : sql`select exists (select 1 from links where record_id = ${ref}::uuid and system = ${system}) as landed`,
  );
  return rows[0]?.landed === true;
}

/**
 * The record's parent is not in the target yet: the delivery goes back to pending without counting an
 * attempt, says what it waits for, and is woken when a parent of that entity lands there.
 */
export async function recordWaiting(engine: Engine, claimed: TClaimed, w: { key: string; message: string }): Promise<void> {
  await engine.db.transaction(async (tx) => {
    const wait = { waitingFor: w.key, lastError: w.message, nextAttemptAt: sql`now() + (${WAIT_RECHECK_MS} * interval '1 millisecond')`, updatedAt: sql`now()` };
    // A newer change already queued one for this pair: it waits instead, and this one steps aside.
    const carried = await tx
      .update(deliveries)
      .set(wait)
      .where(and(eq(deliveries.recordId, claimed.record_id), eq(deliveries.system, claimed.system), sql`${deliveries.status} in ('pending', 'retrying')`))
      .returning({ id: deliveries.id });
    if (carried.length) {
      await tx
        .update(deliveries)
        .set({ status: "superseded", leaseUntil: null, finishedAt: sql`now()`, updatedAt: sql`now()` })
        .where(and(eq(deliveries.id, claimed.id), eq(deliveries.status, "in_flight")));
      return;
    }
    await tx
      .update(deliveries)
      .set({ ...wait, status: "pending", leaseUntil: null })
      .where(and(eq(deliveries.id, claimed.id), eq(deliveries.status, "in_flight")));
    // The parent may have landed while this delivery was looking (its wake-up found it in flight): go again now.
    if (await parentLanded(tx, claimed.system, w.key)) await tx.update(deliveries).set({ nextAttemptAt: sql`now()` }).where(eq(deliveries.id, claimed.id));
  });
  engine.bus.emit({ type: "delivery", id: claimed.id, recordId: claimed.record_id, system: claimed.system, status: "waiting", action: null, error: w.message });
}
