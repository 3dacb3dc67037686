import { sql } from "drizzle-orm";
import { queryRows } from "~/server/db";
import type { Engine } from "~/server/engine/context";
import { continueRun, type ExecuteRunOptions } from "./continue-run";
import { executeRun } from "./execute-run";
import type { TContinuedBy } from "./run-lease";

/** A queued run nobody has taken up this long is fair game (its starter normally takes it at once). */
const QUEUED_GRACE_MS = 2_000;

/**
 * Runs any process may take up now: queued (past a short grace) or running with no live lease, not paused
 * after a failure, not applying a dry run's plan — and, in a group (a fleet sync), only once every earlier
 * run of the group has ended, so parents are read before children wherever the group is continued.
 */
async function continuableRuns(engine: Engine, opts: { groupId?: string | null; exclude: Set<string>; limit: number }): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    engine.db,
    sql`select r.id from runs r
         where (r.status = 'running' or (r.status = 'queued' and r.created_at < now() - (${QUEUED_GRACE_MS}::float8 * interval '1 millisecond')))
           and (r.lease_until is null or r.lease_until < now())
           and not coalesce(r.options ? 'appliesPlanOf', false)
           ${opts.groupId ? sql`and r.group_id = ${opts.groupId}` : sql``}
           ${opts.exclude.size ? sql`and r.id not in (${sql.join([...opts.exclude].map((id) => sql`${id}::uuid`), sql`, `)})` : sql``}
           and not exists (select 1 from runs p where r.group_id is not null and p.group_id = r.group_id
                             and (p.created_at, p.id) < (r.created_at, r.id) and p.status in ('queued', 'running'))
         order by r.created_at, r.id
         limit ${opts.limit}`,
  );
  return rows.map((r) => r.id);
}

/**
 * Takes up every run that can be continued (continuableRuns), one after another, until none is left or the
 * deadline comes (each run stops at a page boundary before it and is released). Used by the cron tick
 * (by "tick", within its budget), by long-lived processes (`npm start`, `npm run worker`: by "worker",
 * unbounded) and by a request's after() for a fleet group. Returns the runs it worked on.
 */
export async function continueRuns(engine: Engine, opts: { by: TContinuedBy; deadline?: number | null; groupId?: string | null; run?: ExecuteRunOptions }): Promise<string[]> {
  const tried = new Set<string>();
  const worked: string[] = [];
  // The first run is taken up even when the budget is already spent (a cold start, a slow database): it reads at
  // least one page, so a waiting run moves on every tick however loaded the host is.
  const late = () => !!opts.deadline && Date.now() >= opts.deadline && tried.size > 0;
  while (!late()) {
    const ids = await continuableRuns(engine, { groupId: opts.groupId, exclude: tried, limit: 5 });
    if (ids.length === 0) break;
    for (const id of ids) {
      if (late()) break;
      tried.add(id);
      const row = await continueRun(engine, id, { ...opts.run, by: opts.by, deadline: opts.deadline }).catch((err: unknown) => {
        engine.log.error({ err, runId: id }, "continuing a run failed");
        return null;
      });
      if (row) worked.push(id);
      // A group goes in order: the next of it is continuable only once this one has ended.
      if (row?.groupId) break;
    }
  }
  return worked;
}

/**
 * Work a request starts (triggerRun, a fleet sync): its runs, one after another, through the engine's
 * background — in this process to their end on a long-lived server; on a serverless host through after(),
 * within the budget, the cron tick continuing what is left.
 */
export function runInBackground(engine: Engine, runIds: string[]): void {
  engine.background.defer(async () => {
    const budget = engine.background.budgetMs;
    if (budget === null) {
      for (const id of runIds) await executeRun(engine, id, { by: "request" });
      return;
    }
    const deadline = Date.now() + budget;
    for (const id of runIds) {
      const row = await continueRun(engine, id, { by: "request", deadline });
      // Taken up elsewhere, out of budget or paused: the tick continues it, and the rest of the group after it.
      if (row?.status !== "succeeded" && row?.status !== "failed" && row?.status !== "cancelled" && row?.status !== "awaiting-approval") return;
    }
  });
}
