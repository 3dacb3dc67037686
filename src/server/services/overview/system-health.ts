import { inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows, type Db } from "~/server/db";
import { systems } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { healthState, ZHealthState } from "./health-state";

/** Error rate and lag look back this far. */
export const HEALTH_WINDOW_MS = 60 * 60_000;

const ZCount = z.number().int().min(0);

/** One system's health: figures an admin reads to learn whether it agrees with the others. */
export const ZSystemHealth = z.object({
  key: z.string(),
  state: ZHealthState,
  enabled: z.boolean(),
  pausedUntil: z.date().nullable(),
  /** When a delivery to it last succeeded. */
  lastSuccessAt: z.date().nullable(),
  /** HTTP attempts in the last hour, and those that failed (retried or dead; a 429 is not a failure) of deliveries not delivered since. */
  attempts: ZCount,
  failedAttempts: ZCount,
  /** failedAttempts / attempts; null with no attempt in the last hour. */
  errorRate: z.number().min(0).max(1).nullable(),
  /** Deliveries waiting to reach it. */
  queue: z.object({ pending: ZCount, retrying: ZCount, in_flight: ZCount, total: ZCount }),
  oldestWaitingAt: z.date().nullable(),
  oldestWaitingAgeMs: z.number().min(0).nullable(),
  /** Deliveries that succeeded in the last hour, and their lag (change recorded → delivered) p50/p95. */
  delivered: ZCount,
  lagP50Ms: z.number().nullable(),
  lagP95Ms: z.number().nullable(),
  dead: ZCount,
  /** Open conflicts this system is a side of. */
  openConflicts: ZCount,
});
export type TSystemHealth = z.infer<typeof ZSystemHealth>;

type TDeliveryAgg = {
  system: string;
  pending: number;
  retrying: number;
  in_flight: number;
  dead: number;
  delivered: number;
  last_success_ms: number | null;
  oldest_waiting_ms: number | null;
  p50_s: number | null;
  p95_s: number | null;
};

const keyList = (keys: string[]) => sql.join(keys.map((k) => sql`${k}`), sql`, `);
const epochMs = (col: string) => sql.raw(`(extract(epoch from ${col}) * 1000)::float8`);

/** One pass over the deliveries of these systems: queue, dead, last success, oldest waiting, lag. */
function deliveryAggregates(db: Db, keys: string[], since: string) {
  const lag = sql.raw(`extract(epoch from finished_at - created_at)::float8`);
  const recent = sql`status = 'succeeded' and finished_at >= ${since}::timestamptz`;
  return queryRows<TDeliveryAgg>(
    db,
    sql`select system,
          count(*) filter (where status = 'pending')::int as pending,
          count(*) filter (where status = 'retrying')::int as retrying,
          count(*) filter (where status = 'in_flight')::int as in_flight,
          count(*) filter (where status = 'dead')::int as dead,
          count(*) filter (where ${recent})::int as delivered,
          ${epochMs("max(finished_at) filter (where status = 'succeeded')")} as last_success_ms,
          ${epochMs("min(created_at) filter (where status in ('pending', 'retrying', 'in_flight'))")} as oldest_waiting_ms,
          percentile_cont(0.5) within group (order by ${lag}) filter (where ${recent}) as p50_s,
          percentile_cont(0.95) within group (order by ${lag}) filter (where ${recent}) as p95_s
        from deliveries where system in (${keyList(keys)}) group by system`,
  );
}

function attemptAggregates(db: Db, keys: string[], since: string) {
  return queryRows<{ system: string; attempts: number; failed: number }>(
    db,
    // Health follows the current state: a failed attempt of a delivery that has since succeeded (retried, or a
    // dead one replayed) or was cancelled no longer counts against the system.
    sql`select d.system, count(*)::int as attempts,
          count(*) filter (where a.outcome in ('retry', 'dead') and d.status not in ('succeeded', 'cancelled', 'superseded'))::int as failed
        from delivery_attempts a join deliveries d on d.id = a.delivery_id
        where a.at >= ${since}::timestamptz and d.system in (${keyList(keys)}) group by d.system`,
  );
}

function openConflicts(db: Db) {
  return queryRows<{ system: string; n: number }>(
    db,
    sql`select system, count(*)::int as n from (
          select theirs_system as system from conflicts where status = 'open'
          union all
          select ours_system from conflicts where status = 'open' and ours_system is not null and ours_system <> theirs_system
        ) s group by system`,
  );
}

const dateOf = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(Math.round(ms)));
const msOf = (s: number | null | undefined) => (s === null || s === undefined ? null : Math.round(Number(s) * 1000));

/** Health of every configured system, in config order. Viewers may read it: it holds no record data. */
export async function getSystemHealth({ engine, now = engine.now() }: { engine: Engine; now?: Date }): Promise<TSystemHealth[]> {
  const keys = Object.keys(engine.config.systems);
  if (keys.length === 0) return [];
  const since = new Date(now.getTime() - HEALTH_WINDOW_MS).toISOString();
  const [rows, deliveriesBy, attemptsBy, conflictsBy] = await Promise.all([
    engine.db.select({ key: systems.key, enabled: systems.enabled, pausedUntil: systems.pausedUntil }).from(systems).where(inArray(systems.key, keys)),
    deliveryAggregates(engine.db, keys, since),
    attemptAggregates(engine.db, keys, since),
    openConflicts(engine.db),
  ]);
  const row = new Map(rows.map((r) => [r.key, r]));
  const agg = new Map(deliveriesBy.map((r) => [r.system, r]));
  const att = new Map(attemptsBy.map((r) => [r.system, r]));
  const con = new Map(conflictsBy.map((r) => [r.system, Number(r.n)]));
  return keys.map((key) => {
    const d = agg.get(key);
    const a = att.get(key);
    const attempts = Number(a?.attempts ?? 0);
    const failedAttempts = Number(a?.failed ?? 0);
    const queue = { pending: Number(d?.pending ?? 0), retrying: Number(d?.retrying ?? 0), in_flight: Number(d?.in_flight ?? 0), total: 0 };
    queue.total = queue.pending + queue.retrying + queue.in_flight;
    const oldestWaitingAt = dateOf(d?.oldest_waiting_ms);
    const figures = {
      enabled: row.get(key)?.enabled ?? true,
      pausedUntil: row.get(key)?.pausedUntil ?? null,
      failedAttempts,
      errorRate: attempts > 0 ? failedAttempts / attempts : null,
      dead: Number(d?.dead ?? 0),
      oldestWaitingAgeMs: oldestWaitingAt ? Math.max(0, now.getTime() - oldestWaitingAt.getTime()) : null,
    };
    return {
      key,
      state: healthState(figures, now),
      ...figures,
      lastSuccessAt: dateOf(d?.last_success_ms),
      attempts,
      queue,
      oldestWaitingAt,
      delivered: Number(d?.delivered ?? 0),
      lagP50Ms: msOf(d?.p50_s),
      lagP95Ms: msOf(d?.p95_s),
      openConflicts: con.get(key) ?? 0,
    };
  });
}
