import { sql } from "drizzle-orm";
import { queryRows, type Db } from "~/server/db";

const BATCH = 1000;

/**
 * Deletes webhook events processed before `before` (WEBHOOK_RETENTION_DAYS), in batches, until none is
 * left or `deadline` passes. Events still waiting or failed are kept. A pruned event's `webhook-id` could
 * be accepted again only with a fresh signature timestamp: a replay of the old request is refused as stale
 * (±5 minutes) long before the retention ends.
 */
export async function pruneWebhookEvents(db: Db, opts: { before: Date; deadline?: number }): Promise<number> {
  let total = 0;
  const before = opts.before.toISOString();
  for (;;) {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`with old as (select id from webhook_events where status = 'processed' and processed_at < ${before} order by id limit ${BATCH}),
               d as (delete from webhook_events where id in (select id from old) returning 1)
          select count(*)::int as n from d`,
    );
    const n = Number(row?.n ?? 0);
    total += n;
    if (n < BATCH || (opts.deadline && Date.now() > opts.deadline)) return total;
  }
}
