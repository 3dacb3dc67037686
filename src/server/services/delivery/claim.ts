import { sql } from "drizzle-orm";
import { queryRows } from "~/server/db";
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

/**
 * Systems a run is reading page by page right now. Deliveries to them wait until the listing ends: a write
 * there (a CMS id or a generated QR code written back) moves the document in the system's (updated, id)
 * order, and a page-numbered listing would then skip the documents that shift into pages already read.
 * A run silent for two minutes (its process died; it saves a heartbeat with every page) holds nothing.
 */
const LISTING = sql`select r.system from runs r where r.status = 'running' and r.phase = 'reading'
  and coalesce((r.options->>'heartbeatAt')::timestamptz, r.started_at) > now() - interval '2 minutes'`;

/**
 * Claims due deliveries with FOR UPDATE SKIP LOCKED, so any number of workers share the queue and
 * none sends a delivery another holds. Only the oldest waiting delivery of a (record, system) is due,
 * and never while another of that pair is in flight: one at a time per (record, system), in order; none
 * to a system a run is listing (see LISTING).
 */
export async function claimDeliveries(engine: Engine, opts: { limit: number; leaseMs: number }): Promise<TClaimed[]> {
  return queryRows<TClaimed & Record<string, unknown>>(
    engine.db,
    sql`
      update deliveries d
         set status = 'in_flight', lease_until = now() + (${opts.leaseMs}::float8 * interval '1 millisecond'),
             claimed_by = ${engine.workerId}, updated_at = now()
        from systems s
       where s.key = d.system and d.id in (
         select c.id from deliveries c
          where c.status in ('pending', 'retrying')
            and c.next_attempt_at <= now()
            and c.system in (select key from systems where enabled and (paused_until is null or paused_until <= now()))
            and c.system not in (${LISTING})
            and not exists (
              select 1 from deliveries f
               where f.record_id = c.record_id and f.system = c.system
                 and f.status = 'in_flight' and f.lease_until > now())
          order by c.next_attempt_at, c.id
          limit ${opts.limit}
          for update of c skip locked)
      returning d.id, d.record_id, d.entity, d.system, d.attempts, d.fields, d.run_id, s.xmin::text as system_version`,
  );
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

/** When the next claimable delivery falls due, so an idle worker knows how long it may sleep. */
export async function nextDueAt(engine: Engine): Promise<Date | null> {
  const [row] = await queryRows<{ at: Date | string | null }>(
    engine.db,
    sql`select min(c.next_attempt_at) as at from deliveries c
         where c.status in ('pending', 'retrying')
           and c.system in (select key from systems where enabled and (paused_until is null or paused_until <= now()))
           and c.system not in (${LISTING})
           and not exists (select 1 from deliveries f where f.record_id = c.record_id and f.system = c.system
                            and f.status = 'in_flight' and f.lease_until > now())`,
  );
  return row?.at ? new Date(row.at) : null;
}
