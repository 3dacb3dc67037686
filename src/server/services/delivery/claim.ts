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
}

/**
 * Claims due deliveries with FOR UPDATE SKIP LOCKED, so any number of workers share the queue and
 * none sends a delivery another holds. Only the oldest waiting delivery of a (record, system) is due,
 * and never while another of that pair is in flight: one at a time per (record, system), in order.
 */
export async function claimDeliveries(engine: Engine, opts: { limit: number; leaseMs: number }): Promise<TClaimed[]> {
  return queryRows<TClaimed & Record<string, unknown>>(
    engine.db,
    sql`
      update deliveries d
         set status = 'in_flight', lease_until = now() + (${opts.leaseMs} * interval '1 millisecond'),
             claimed_by = ${engine.workerId}, updated_at = now()
       where d.id in (
         select c.id from deliveries c
           join systems s on s.key = c.system
          where c.status in ('pending', 'retrying')
            and c.next_attempt_at <= now()
            and s.enabled
            and (s.paused_until is null or s.paused_until <= now())
            and not exists (
              select 1 from deliveries f
               where f.record_id = c.record_id and f.system = c.system
                 and f.status = 'in_flight' and f.lease_until > now())
          order by c.next_attempt_at, c.id
          limit ${opts.limit}
          for update of c skip locked)
      returning d.id, d.record_id, d.entity, d.system, d.attempts, d.fields, d.run_id`,
  );
}

/**
 * A delivery whose worker died (its lease ran out) goes back to the queue; if a newer delivery for the
 * same pair is already waiting, that one will send the current state, so the old one is superseded.
 */
export async function reapExpiredLeases(engine: Engine): Promise<number> {
  const superseded = await queryRows(
    engine.db,
    sql`update deliveries d set status = 'superseded', finished_at = now(), updated_at = now()
         where d.status = 'in_flight' and d.lease_until < now()
           and exists (select 1 from deliveries p where p.record_id = d.record_id and p.system = d.system
                        and p.status in ('pending', 'retrying'))
        returning d.id`,
  );
  const requeued = await queryRows(
    engine.db,
    sql`update deliveries set status = 'pending', lease_until = null, claimed_by = null, next_attempt_at = now(), updated_at = now()
         where status = 'in_flight' and lease_until < now()
        returning id`,
  );
  return superseded.length + requeued.length;
}

/** When the next waiting delivery falls due, so an idle worker knows how long it may sleep. */
export async function nextDueAt(engine: Engine): Promise<Date | null> {
  const [row] = await queryRows<{ at: Date | string | null }>(
    engine.db,
    sql`select min(next_attempt_at) as at from deliveries where status in ('pending', 'retrying')`,
  );
  return row?.at ? new Date(row.at) : null;
}
