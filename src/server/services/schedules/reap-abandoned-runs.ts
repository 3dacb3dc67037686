import { sql } from "drizzle-orm";
import { queryRows } from "~/server/db";
import type { Engine } from "~/server/engine/context";
import { emptyCounts } from "../runs/run-counts";

export const DEFAULT_STALE_RUN_MS = 15 * 60_000;

/**
 * A run whose process died is continued by the next tick or worker from its last committed page
 * (continue-runs.ts), never failed for it. Only an application of a dry run's plan is not continued: one
 * silent for `staleMs` (it saves a heartbeat with every page), or queued that long, is marked failed so
 * the next run can start. Its pages applied so far stay applied.
 */
export async function reapAbandonedRuns(engine: Engine, opts: { now: Date; staleMs?: number }): Promise<string[]> {
  const cutoff = new Date(opts.now.getTime() - (opts.staleMs ?? DEFAULT_STALE_RUN_MS)).toISOString();
  const minutes = Math.round((opts.staleMs ?? DEFAULT_STALE_RUN_MS) / 60_000);
  const rows = await queryRows<{ id: string; counts: Record<string, number> | null }>(
    engine.db,
    sql`update runs set status = 'failed', phase = null, finished_at = now(),
               error = ${`Abandoned: no progress for ${minutes} minutes (the process applying the plan stopped). What it applied stays applied; apply the plan again.`}
         where options ? 'appliesPlanOf' and ((status = 'running' and coalesce((options->>'heartbeatAt')::timestamptz, started_at, created_at) < ${cutoff})
            or (status = 'queued' and created_at < ${cutoff}))
        returning id, counts`,
  );
  for (const r of rows) {
    engine.log.warn({ runId: r.id }, "abandoned run marked failed");
    engine.bus.emit({ type: "run", id: r.id, status: "failed", phase: null, counts: r.counts ?? emptyCounts(), percent: null });
  }
  return rows.map((r) => r.id);
}
