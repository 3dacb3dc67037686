import { sql } from "drizzle-orm";
import { queryRows, type Db } from "~/server/db";

const BATCH = 500;

/**
 * Deletes finished runs (succeeded, failed, cancelled) older than `before`, with their run_items (and
 * any seen ids a run that died mid-listing left behind), in
 * batches, until none is left or `deadline` passes. Runs still going or awaiting approval are kept.
 */
export async function pruneRunHistory(db: Db, opts: { before: Date; deadline?: number }): Promise<{ runs: number; items: number }> {
  const total = { runs: 0, items: 0 };
  const before = opts.before.toISOString();
  for (;;) {
    const [row] = await queryRows<{ runs: number; items: number }>(
      db,
      sql`with old as (select id from runs
                        where created_at < ${before} and coalesce(finished_at, created_at) < ${before}
                          and status in ('succeeded', 'failed', 'cancelled')
                        order by created_at limit ${BATCH}),
               i as (delete from run_items where run_id in (select id from old) returning 1),
               s as (delete from run_seen where run_id in (select id from old)),
               r as (delete from runs where id in (select id from old) returning 1)
          select (select count(*) from r)::int as runs, (select count(*) from i)::int as items`,
    );
    total.runs += Number(row?.runs ?? 0);
    total.items += Number(row?.items ?? 0);
    if (Number(row?.runs ?? 0) < BATCH || (opts.deadline && Date.now() > opts.deadline)) return total;
  }
}
