import { sql } from "drizzle-orm";
import { queryRows, type Db } from "~/server/db";

const BATCH = 500;

/**
 * Deletes tombstones older than `before` (records deleted before then, kept so far to recognise late
 * echoes and to be restored), with their links, changes, conflicts and finished deliveries, in
 * batches, until none is left or `deadline` passes. A tombstone with a delivery still waiting or in
 * flight is kept until it is done. Live records are never touched.
 */
export async function pruneTombstones(db: Db, opts: { before: Date; deadline?: number }): Promise<number> {
  let total = 0;
  const before = opts.before.toISOString();
  for (;;) {
    const [row] = await queryRows<{ records: number }>(
      db,
      sql`with old as (select r.id from records r
                        where r.deleted_at is not null and r.deleted_at < ${before}
                          and not exists (select 1 from deliveries d where d.record_id = r.id and d.status in ('pending', 'retrying', 'in_flight'))
                        order by r.deleted_at limit ${BATCH} for update skip locked),
               dl as (select id from deliveries where record_id in (select id from old)),
               a as (delete from delivery_attempts where delivery_id in (select id from dl) returning 1),
               d as (delete from deliveries where id in (select id from dl) returning 1),
               c as (delete from changes where record_id in (select id from old) returning 1),
               k as (delete from conflicts where record_id in (select id from old) returning 1),
               r as (delete from records where id in (select id from old) returning 1)
          select (select count(*) from r)::int as records, (select count(*) from a)::int as attempts, (select count(*) from d)::int as deliveries,
                 (select count(*) from c)::int as changes, (select count(*) from k)::int as conflicts`,
    );
    const n = Number(row?.records ?? 0);
    total += n;
    if (n < BATCH || (opts.deadline && Date.now() > opts.deadline)) return total;
  }
}
