import { sql } from "drizzle-orm";
import { jsonValue, queryRows, runText } from "~/server/db";
import type { TRecordRow } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";

export interface TClaimed {
  id: number;
  record_id: string;
  entity: string;
  system: string;
  attempts: number;
  fields: string[];
  run_id: string | null;
  /** The target's systems row version (`xmin`), so a cached connection is reused only while it is current. */
  system_version: string;
}

/** What a delivery needs to know of its record: the record, and where it is linked with what was last agreed. */
export interface TDeliveryState {
  record: TRecordRow;
  /** `seenAt`: the newest version of the document Concord has seen there (ISO), the precondition of an update. */
  links: { system: string; externalId: string; lastValues: Record<string, unknown> | null; seenAt: string | null }[];
}

type TClaimedJson = TClaimed & { record: Record<string, unknown> | null; links: TDeliveryState["links"] };

/**
 * Claims due deliveries with FOR UPDATE SKIP LOCKED, so any number of workers share the queue and none sends a
 * delivery another holds, and reads their records and links: one round trip (`concord_claim_deliveries`,
 * drizzle/0011). Only the oldest waiting delivery of a (record, system) is due, and never while another of that
 * pair is in flight: one at a time per (record, system), in order; none to a system that is paused, disabled or
 * being listed by a run (a write there would move documents in the order the listing pages by). Each record is read
 * after the claim, so it is at least as new as its delivery; a record that is gone has no state.
 */
export async function claimWithStates(engine: Engine, opts: { limit: number; leaseMs: number }): Promise<{ claimed: TClaimed[]; states: Map<string, TDeliveryState> }> {
  const [row] = await runText<{ claimed: TClaimedJson[] | string }>(engine.db, "select concord_claim_deliveries($1::float8, $2::text, $3::int) as claimed", [
    opts.leaseMs,
    engine.workerId,
    opts.limit,
  ]);
  const items = jsonValue<TClaimedJson[]>(row?.claimed) ?? [];
  const states = new Map<string, TDeliveryState>();
  const claimed = items.map(({ record, links, ...c }) => {
    if (record) states.set(c.record_id, { record: recordRow(record), links });
    return { ...c, id: Number(c.id), attempts: Number(c.attempts) };
  });
  return { claimed, states };
}

/** Claims due deliveries (see claimWithStates), without their states. */
export async function claimDeliveries(engine: Engine, opts: { limit: number; leaseMs: number }): Promise<TClaimed[]> {
  return (await claimWithStates(engine, opts)).claimed;
}

/** A records row as Postgres's to_jsonb gives it, as Drizzle would have given it. */
function recordRow(r: Record<string, unknown>): TRecordRow {
  const date = (v: unknown) => (v == null ? null : new Date(String(v)));
  return {
    id: String(r.id),
    entity: String(r.entity),
    naturalKey: String(r.natural_key),
    data: r.data as TRecordRow["data"],
    stamps: r.stamps as TRecordRow["stamps"],
    held: r.held as TRecordRow["held"],
    version: Number(r.version),
    deletedAt: date(r.deleted_at),
    createdAt: date(r.created_at)!,
    updatedAt: date(r.updated_at)!,
  };
}

/**
 * A delivery whose worker died (its lease ran out) goes back to the queue. Per (record, system) only
 * one may wait: if one already waits, or several expired together, the newest carries on and the
 * rest are superseded (a delivery sends the record's current state, so nothing is lost). The send that
 * died may have reached the target (a create applied, the answer never recorded), so it counts as an
 * attempt, and the one that carries on inherits it: a delete behind it then looks the document up by
 * natural key instead of assuming nothing was made. One transaction.
 */
export async function reapExpiredLeases(engine: Engine): Promise<number> {
  return engine.db.transaction(async (tx) => {
    const superseded = await queryRows<{ id: number; record_id: string; system: string; attempts: number }>(
      tx,
      sql`update deliveries d set status = 'superseded', finished_at = now(), updated_at = now()
           where d.status = 'in_flight' and d.lease_until < now()
             and exists (select 1 from deliveries p where p.record_id = d.record_id and p.system = d.system
                          and (p.status in ('pending', 'retrying')
                               or (p.status = 'in_flight' and p.lease_until < now() and p.id > d.id)))
          returning d.id, d.record_id, d.system, d.attempts`,
    );
    if (superseded.length) {
      // Every parameter typed: Postgres reads untyped VALUES parameters as text (PGlite does not), and then
      // greatest(integer, text) fails the whole reaping transaction.
      const pairs = sql.join(
        superseded.map((r) => sql`(${r.record_id}::uuid, ${r.system}::text, ${Number(r.attempts) + 1}::int)`),
        sql`, `,
      );
      await tx.execute(sql`update deliveries p set attempts = greatest(p.attempts, g.attempts), updated_at = now()
          from (select record_id, system, max(attempts) as attempts from (values ${pairs}) v(record_id, system, attempts) group by 1, 2) g
         where p.record_id = g.record_id and p.system = g.system
           and (p.status in ('pending', 'retrying') or (p.status = 'in_flight' and p.lease_until < now()))`);
    }
    const requeued = await queryRows(
      tx,
      sql`update deliveries set status = 'pending', attempts = attempts + 1, lease_until = null, claimed_by = null, next_attempt_at = now(), updated_at = now()
           where status = 'in_flight' and lease_until < now()
          returning id`,
    );
    return superseded.length + requeued.length;
  });
}

/**
 * Keeps the claims a worker is still sending alive, in one statement (a slow target must not lose its lease,
 * and a short lease is what brings a dead worker's deliveries back soon).
 */
export async function extendLeases(engine: Engine, ids: number[], leaseMs: number): Promise<void> {
  if (ids.length === 0) return;
  await engine.db.execute(
    sql`update deliveries set lease_until = now() + (${leaseMs}::float8 * interval '1 millisecond')
         where id in (${sql.join(
           ids.map((id) => sql`${id}`),
           sql`, `,
         )}) and status = 'in_flight' and claimed_by = ${engine.workerId}`,
  );
}

/** When the next claimable delivery falls due (the claim's rule: `concord_next_delivery_due`), so an idle worker knows how long it may sleep. */
export async function nextDueAt(engine: Engine): Promise<Date | null> {
  const [row] = await runText<{ at: Date | string | null }>(engine.db, "select concord_next_delivery_due() as at", []);
  return row?.at ? new Date(row.at) : null;
}
