import { and, eq, inArray, sql } from "drizzle-orm";
import { isRecordId, parsePendingRef } from "~/sync/identifiers";
import { queryRows, type Db } from "~/server/db";
import { deliveries, type TBlocked } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TClaimed } from "./claim";
import { fetchParent } from "./fetch-parent";
import type { WaitingForParent } from "./references";

/** How long a delivery waiting for its parent sleeps before it looks again on its own (it is also woken). */
export const WAIT_RECHECK_MS = 30_000;
/** A blocked one (its parent invalid, not approved, gone or dead) looks again this rarely; fixing the parent wakes it. */
export const BLOCKED_RECHECK_MS = 10 * 60_000;

/**
 * A child that starts waiting in `system` and a parent of `parentEntity` landing there take this lock, the parent
 * shared and the child alone, so one of the two always sees the other: the parent's wake-up finds the child waiting,
 * or the child's check finds the parent's link. Without it both could look before the other had committed, and the
 * child would sleep WAIT_RECHECK_MS for a parent that is there.
 */
export async function lockLanding(tx: Db, opts: { system: string; parentEntity: string; as: "parent" | "child" }): Promise<void> {
  const key = `concord:landing:${opts.system}:${opts.parentEntity}`;
  await tx.execute(opts.as === "parent" ? sql`select pg_advisory_xact_lock_shared(hashtext(${key}))` : sql`select pg_advisory_xact_lock(hashtext(${key}))`);
}

/** The parent a waiting delivery names, `<entity>:<record id | system:id>`, as its entity and its reference. */
function parentOf(key: string): { entity: string; ref: string } {
  const at = key.indexOf(":");
  return { entity: key.slice(0, at), ref: key.slice(at + 1) };
}

/** Has the parent a waiting delivery names reached `system` by now? */
async function parentLanded(tx: Db, system: string, key: string): Promise<boolean> {
  const { entity, ref } = parentOf(key);
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

/** What the wait says: a parent Concord has not read yet is read from its origin first (it may block the child, by name). */
async function decideWait(engine: Engine, claimed: TClaimed, w: WaitingForParent): Promise<{ key: string; message: string; blocked: TBlocked | null }> {
  if (w.parent.kind !== "pending" || !w.parent.system) return { key: w.key, message: w.message, blocked: w.blocked };
  const got = await fetchParent(engine, { entity: w.parent.entity, system: w.parent.system, externalId: w.parent.externalId, runId: claimed.run_id });
  const target = engine.config.systems[claimed.system]?.name ?? claimed.system;
  const label = engine.config.entities[w.parent.entity]?.label.toLowerCase() ?? w.parent.entity;
  if (got.kind === "arrived") return { key: `${w.parent.entity}:${got.recordId}`, message: `waits for its ${label} ${got.name} to reach ${target}`, blocked: null };
  if (got.kind === "blocked") return { key: w.key, message: got.message, blocked: got.blocked };
  return { key: w.key, message: got.message, blocked: null };
}

/**
 * The record's parent is not in the target yet: the delivery goes back to pending without counting an
 * attempt, says what it waits for (by name), and is woken when a parent of that entity lands there. A parent
 * Concord has never seen is read from its origin now; one that cannot come (invalid, not approved, gone, or
 * its own delivery dead) makes the delivery *blocked*: still pending and woken the same way, but it names
 * the reason, and only looks again on its own every BLOCKED_RECHECK_MS.
 */
export async function recordWaiting(engine: Engine, claimed: TClaimed, err: WaitingForParent): Promise<void> {
  const w = await decideWait(engine, claimed, err);
  const recheck = w.blocked ? BLOCKED_RECHECK_MS : WAIT_RECHECK_MS;
  await engine.db.transaction(async (tx) => {
    await lockLanding(tx, { system: claimed.system, parentEntity: parentOf(w.key).entity, as: "child" });
    const wait = { waitingFor: w.key, lastError: w.message, blocked: w.blocked, nextAttemptAt: sql`now() + (${recheck} * interval '1 millisecond')`, updatedAt: sql`now()` };
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
    } else {
      await tx
        .update(deliveries)
        .set({ ...wait, status: "pending", leaseUntil: null })
        .where(and(eq(deliveries.id, claimed.id), eq(deliveries.status, "in_flight")));
    }
    // The parent may have landed while this delivery was looking (its wake-up found it in flight): go again now.
    const waiting = carried.length ? carried.map((c) => c.id) : [claimed.id];
    if (await parentLanded(tx, claimed.system, w.key)) await tx.update(deliveries).set({ nextAttemptAt: sql`now()` }).where(inArray(deliveries.id, waiting));
  });
  engine.bus.emit({ type: "delivery", id: claimed.id, recordId: claimed.record_id, system: claimed.system, status: w.blocked ? "blocked" : "waiting", action: null, error: w.message });
}
