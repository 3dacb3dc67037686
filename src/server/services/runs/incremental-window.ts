import { and, eq, sql } from "drizzle-orm";
import type { Db } from "~/server/db";
import { runs, syncCursors, type TRunRow } from "~/server/db/schema";

/**
 * What an incremental run reads, recorded in `runs.options.window`:
 * - `cursor`: the stored cursor of (entity, system) when the run started — the START time of the last
 *   complete read (never its end: a change made while that read was going is after its start);
 * - `from`: `cursor − overlapMs`, passed as `updatedSince` (null = no cursor yet: read everything);
 * - `startedAt`: Concord's clock just before the first page is asked for; it becomes the next cursor
 *   once this read has completed.
 */
export interface TWindow {
  cursor: string | null;
  overlapMs: number;
  from: string | null;
  startedAt: string;
}

export async function openWindow(db: Db, run: TRunRow, opts: { overlapMs: number; now: Date }): Promise<TWindow> {
  const [row] = await db
    .select({ since: syncCursors.since })
    .from(syncCursors)
    .where(and(eq(syncCursors.entity, run.entity), eq(syncCursors.system, run.system)))
    .limit(1);
  const cursor = row?.since ?? null;
  const window: TWindow = {
    cursor: cursor?.toISOString() ?? null,
    overlapMs: opts.overlapMs,
    from: cursor ? new Date(cursor.getTime() - opts.overlapMs).toISOString() : null,
    startedAt: opts.now.toISOString(),
  };
  await db
    .update(runs)
    .set({ options: sql`coalesce(${runs.options}, '{}'::jsonb) || ${JSON.stringify({ window })}::jsonb` })
    .where(eq(runs.id, run.id));
  return window;
}

/** After a complete read that started at `startedAt`: the next incremental run reads from there (minus the overlap). */
export async function advanceCursor(db: Db, opts: { entity: string; system: string; startedAt: Date }): Promise<void> {
  await db
    .insert(syncCursors)
    .values({ entity: opts.entity, system: opts.system, since: opts.startedAt })
    .onConflictDoUpdate({ target: [syncCursors.entity, syncCursors.system], set: { since: opts.startedAt, updatedAt: sql`now()` } });
}
