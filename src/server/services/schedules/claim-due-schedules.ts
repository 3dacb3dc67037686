import { and, eq, lte } from "drizzle-orm";
import { schedules } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { nextRuns } from "./cron-expr";

export type TClaimedSchedule = typeof schedules.$inferSelect;

/**
 * Takes the schedules due at `now`. Each is taken by one conditional UPDATE that moves `next_run_at` to
 * the next time after now (and `last_run_at` to now) only if it still holds the value this tick read:
 * of two ticks racing, the second's UPDATE waits for the first's row lock, then finds the row changed
 * and takes nothing. Because the next time is computed from now, a tick that comes late (missed
 * periods) runs the schedule once, not once per missed period.
 */
export async function claimDueSchedules(engine: Engine, now: Date): Promise<TClaimedSchedule[]> {
  const due = await engine.db.select().from(schedules).where(and(eq(schedules.enabled, true), lte(schedules.nextRunAt, now)));
  const claimed: TClaimedSchedule[] = [];
  for (const s of due) {
    let next: Date | null = null;
    try {
      next = nextRuns(s.cron, s.timezone, now, 1)[0] ?? null;
    } catch (err) {
      engine.log.warn({ entity: s.entity, system: s.system, cron: s.cron, err: String(err) }, "schedule has an unreadable cron: it will not run again until edited");
    }
    const [row] = await engine.db
      .update(schedules)
      .set({ nextRunAt: next, lastRunAt: now })
      .where(and(eq(schedules.entity, s.entity), eq(schedules.system, s.system), eq(schedules.enabled, true), eq(schedules.nextRunAt, s.nextRunAt!), lte(schedules.nextRunAt, now)))
      .returning();
    if (row) claimed.push(s);
  }
  return claimed;
}
