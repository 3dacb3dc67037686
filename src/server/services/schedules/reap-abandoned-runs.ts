import { sql } from "drizzle-orm";
import { queryRows } from "~/server/db";
import type { Engine } from "~/server/engine/context";
import { emptyCounts } from "../runs/run-counts";

export const DEFAULT_STALE_RUN_MS = 15 * 60_000;

/**
 * A run whose process died (a crash, a serverless function frozen after its budget) would hold its
 * (entity, system) forever. A running run saves a heartbeat with every page; one silent for `staleMs`,
 * or queued that long without starting, is marked failed so the next run can start. Its pages applied
 * so far stay applied; it moved no cursor, so the next incremental run reads that window again.
 */
export async function reapAbandonedRuns(engine: Engine, opts: { now: Date; staleMs?: number }): Promise<string[]> {
  const cutoff = new Date(opts.now.getTime() - (opts.staleMs ?? DEFAULT_STALE_RUN_MS)).toISOString();
  const minutes = Math.round((opts.staleMs ?? DEFAULT_STALE_RUN_MS) / 60_000);
  const rows = await queryRows<{ id: string; counts: Record<string, number> | null }>(
    engine.db,
    sql`update runs set status = 'failed', phase = null, finished_at = now(),
               error = ${`Abandoned: no progress for ${minutes} minutes (the process running it stopped). What it applied stays applied; start it again.`}
         where (status = 'running' and coalesce((options->>'heartbeatAt')::timestamptz, started_at, created_at) < ${cutoff})
            or (status = 'queued' and created_at < ${cutoff})
        returning id, counts`,
  );
  for (const r of rows) {
    engine.log.warn({ runId: r.id }, "abandoned run marked failed");
    engine.bus.emit({ type: "run", id: r.id, status: "failed", phase: null, counts: r.counts ?? emptyCounts(), percent: null });
  }
  return rows.map((r) => r.id);
}
