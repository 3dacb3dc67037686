import { sql } from "drizzle-orm";
import { queryRows } from "~/server/db";
import type { Engine } from "~/server/engine/context";
import { getSystemHealth, type TSystemHealth } from "../overview/system-health";

export interface TMetricsSnapshot {
  health: TSystemHealth[];
  /** Every delivery attempt ever made, by target and outcome (the table is append-only). */
  attempts: { system: string; outcome: string; n: number }[];
  /** Deliveries that finished, by target and status (a replay moves a dead one back to the queue). */
  finished: { system: string; status: string; n: number }[];
  /** The latest finished run per (entity, system). */
  lastRuns: { entity: string; system: string; status: string; seconds: number }[];
  openConflicts: number;
}

/** Reads what /api/metrics reports, in a few aggregate queries (counts and keys only, never record data). */
export async function readMetrics({ engine }: { engine: Engine }): Promise<TMetricsSnapshot> {
  const [health, attempts, finished, lastRuns, conflicts] = await Promise.all([
    getSystemHealth({ engine }),
    queryRows<{ system: string; outcome: string; n: number }>(
      engine.db,
      sql`select d.system, a.outcome, count(*)::float8 as n
          from delivery_attempts a join deliveries d on d.id = a.delivery_id group by d.system, a.outcome`,
    ),
    queryRows<{ system: string; status: string; n: number }>(
      engine.db,
      sql`select system, status, count(*)::float8 as n from deliveries
          where status in ('succeeded', 'dead', 'superseded', 'cancelled') group by system, status`,
    ),
    queryRows<{ entity: string; system: string; status: string; seconds: number }>(
      engine.db,
      sql`select distinct on (entity, system) entity, system, status,
            greatest(0, extract(epoch from finished_at - coalesce(started_at, created_at)))::float8 as seconds
          from runs where finished_at is not null order by entity, system, finished_at desc`,
    ),
    queryRows<{ n: number }>(engine.db, sql`select count(*)::int as n from conflicts where status = 'open'`),
  ]);
  return { health, attempts, finished, lastRuns, openConflicts: Number(conflicts[0]?.n ?? 0) };
}
