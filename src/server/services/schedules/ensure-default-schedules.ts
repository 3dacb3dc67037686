import { eq, inArray } from "drizzle-orm";
import { schedules, settings } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { nextRuns } from "./cron-expr";
import { catchUpBindings, DEFAULT_CATCH_UP_CRON, DEFAULT_CATCH_UP_TIMEZONE, defaultMarkerKey, type TDefaultMarker } from "./default-schedules";

export interface TEnsureDefaultsResult {
  /** Bindings that got their default catch-up schedule now. */
  created: { entity: string; system: string }[];
  /** Bindings that already had a schedule of an admin's when their default was due: theirs is kept. */
  kept: { entity: string; system: string }[];
}

/**
 * Gives each source binding that can be read incrementally its default catch-up schedule (every five
 * minutes, incremental, enabled), once in the life of the database. Called at every start; idempotent
 * and safe when processes start together: the default's marker row in `settings` is inserted first
 * (ON CONFLICT DO NOTHING), and only the transaction that inserted it inserts the schedule — the other
 * waits on the marker's key and finds it taken. A schedule already there (an admin's) is never touched,
 * and a binding whose marker exists never gets a default again, so an admin's edit, disable or removal
 * survives every later start.
 */
export async function ensureDefaultSchedules(engine: Engine): Promise<TEnsureDefaultsResult> {
  const result: TEnsureDefaultsResult = { created: [], kept: [] };
  const wanted = catchUpBindings(engine.config);
  if (!wanted.length) return result;
  const keys = wanted.map((b) => defaultMarkerKey(b.entity, b.system));
  const done = new Set((await engine.db.select({ key: settings.key }).from(settings).where(inArray(settings.key, keys))).map((r) => r.key));
  for (const b of wanted) {
    const key = defaultMarkerKey(b.entity, b.system);
    if (done.has(key)) continue;
    const now = engine.now();
    const marker: TDefaultMarker = { cron: DEFAULT_CATCH_UP_CRON, createdAt: now.toISOString(), editedAt: null };
    await engine.db.transaction(async (tx) => {
      const [mine] = await tx.insert(settings).values({ key, value: marker }).onConflictDoNothing().returning({ key: settings.key });
      if (!mine) return; // another process made it (or is making it) now
      const nextRunAt = nextRuns(DEFAULT_CATCH_UP_CRON, DEFAULT_CATCH_UP_TIMEZONE, now, 1)[0] ?? null;
      const [row] = await tx
        .insert(schedules)
        .values({ entity: b.entity, system: b.system, cron: DEFAULT_CATCH_UP_CRON, timezone: DEFAULT_CATCH_UP_TIMEZONE, kind: "incremental", enabled: true, nextRunAt })
        .onConflictDoNothing()
        .returning({ entity: schedules.entity });
      if (row) {
        result.created.push({ entity: b.entity, system: b.system });
        return;
      }
      // An admin scheduled this binding before defaults existed: the schedule is theirs.
      await tx.update(settings).set({ value: { ...marker, editedAt: now.toISOString() } }).where(eq(settings.key, key));
      result.kept.push({ entity: b.entity, system: b.system });
    });
  }
  if (result.created.length) engine.log.info({ created: result.created }, "default catch-up schedules created");
  return result;
}
