import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows, type Db } from "~/server/db";

/**
 * What runs queued, and where each write stands now. A write is a (record, system) pair a run queued a
 * delivery for; its state is that of the pair's newest delivery (a later change may have taken over the
 * work, and a delivery superseded by another is not the one that counts).
 */
export const ZDeliveryProgress = z.object({
  queued: z.number(),
  delivered: z.number(),
  /** pending, retrying or in flight, including those waiting for a parent that is on its way */
  waiting: z.number(),
  /** waiting for a parent that cannot come as things stand (invalid, not approved, gone, dead) */
  blocked: z.number(),
  dead: z.number(),
  cancelled: z.number(),
});
export type TDeliveryProgress = z.infer<typeof ZDeliveryProgress>;

export const noDeliveries = (): TDeliveryProgress => ({ queued: 0, delivered: 0, waiting: 0, blocked: 0, dead: 0, cancelled: 0 });

type TRow = { run_id: string; queued: number; delivered: number; waiting: number; blocked: number; dead: number; cancelled: number };

/** Per run id, what it queued and how far that has got. Runs that queued nothing have all zeros. */
export async function deliveryProgress(db: Db, runIds: string[]): Promise<Map<string, TDeliveryProgress>> {
  const out = new Map(runIds.map((id) => [id, noDeliveries()]));
  if (runIds.length === 0) return out;
  const ids = sql.join(runIds.map((id) => sql`${id}::uuid`), sql`, `);
  const rows = await queryRows<TRow>(
    db,
    sql`with pairs as (
          select distinct on (record_id, system) run_id, record_id, system from deliveries
           where run_id in (${ids}) order by record_id, system, id
        ), latest as (
          select distinct on (d.record_id, d.system) p.run_id, d.status, (d.blocked is not null and d.waiting_for is not null) as blocked
            from pairs p join deliveries d on d.record_id = p.record_id and d.system = p.system
           order by d.record_id, d.system, d.id desc
        )
        select run_id::text as run_id, count(*)::int as queued,
               count(*) filter (where status = 'succeeded')::int as delivered,
               count(*) filter (where status in ('pending', 'retrying', 'in_flight') and not (status = 'pending' and blocked))::int as waiting,
               count(*) filter (where status = 'pending' and blocked)::int as blocked,
               count(*) filter (where status = 'dead')::int as dead,
               count(*) filter (where status in ('cancelled', 'superseded'))::int as cancelled
          from latest group by run_id`,
  );
  for (const r of rows) out.set(r.run_id, { queued: r.queued, delivered: r.delivered, waiting: r.waiting, blocked: r.blocked, dead: r.dead, cancelled: r.cancelled });
  return out;
}

export const ZRunDeliveriesInput = z.object({ id: z.uuid() });

/** One run's writes: what it queued and where they stand (its reading is the run's own counts). */
export async function runDeliveries({ db, input }: { db: Db; input: z.input<typeof ZRunDeliveriesInput> }): Promise<TDeliveryProgress> {
  const { id } = ZRunDeliveriesInput.parse(input);
  return (await deliveryProgress(db, [id])).get(id)!;
}
