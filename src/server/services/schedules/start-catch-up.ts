import { and, eq, sql } from "drizzle-orm";
import { isSyncError } from "~/sync/errors";
import { queryRows } from "~/server/db";
import { schedules } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { systemActor } from "../actor";
import { cancelRun } from "../runs/cancel-run";
import { createRun } from "../runs/create-run";
import { executeRun, type ExecuteRunOptions } from "../runs/execute-run";
import { catchUpBindings, NEVER_READ_REASON, pairKey, readCursors } from "./default-schedules";

/** Processes that start within this of each other make one catch-up per pair. */
export const CATCH_UP_ONCE_WITHIN_MS = 60_000;
export const CATCH_UP_STARTED_BY = "catch-up at start";

export interface TCatchUpResult {
  started: { entity: string; system: string; runId: string }[];
  skipped: { entity: string; system: string; reason: string }[];
  /** Settles when the runs it started have ended (they go on in the background). */
  done: Promise<void>;
  /**
   * For a process shutting down: cancels the runs still going (each stops before its next page, moves no
   * cursor, so the next start reads the same window) and waits for them at most `waitMs`, rather than
   * leaving them to hold their pair until the tick reaps them as abandoned.
   */
  stop(waitMs?: number): Promise<void>;
}

/**
 * What a start after downtime does at once: an incremental run of every source binding that is read on
 * a schedule (its schedule enabled) and was read completely before — so the changes whose webhooks
 * their senders dropped while Concord was down arrive without waiting for the schedule or a person.
 * A pair never read completely is skipped (a catch-up never makes the first read, see NEVER_READ_REASON);
 * so is one whose schedule an admin disabled or removed.
 *
 * Once across processes: each pair is claimed by one conditional upsert of a `settings` row that
 * succeeds only when no process claimed it within CATCH_UP_ONCE_WITHIN_MS (a server and a worker
 * starting together make one run), and the run itself obeys "one run per pair at a time" (a pair with
 * a run going is skipped: that run reads the same changes).
 */
export async function startCatchUp(engine: Engine, opts: { onceWithinMs?: number; run?: ExecuteRunOptions } = {}): Promise<TCatchUpResult> {
  const started: TCatchUpResult["started"] = [];
  const skipped: TCatchUpResult["skipped"] = [];
  const going: Promise<unknown>[] = [];
  const bindings = catchUpBindings(engine.config);
  const rows = bindings.length ? await engine.db.select().from(schedules) : [];
  const byPair = new Map(rows.map((r) => [pairKey(r.entity, r.system), r]));
  const cursors = bindings.length ? await readCursors(engine.db) : new Map<string, Date>();
  const within = opts.onceWithinMs ?? CATCH_UP_ONCE_WITHIN_MS;

  for (const b of bindings) {
    const pair = { entity: b.entity, system: b.system };
    const schedule = byPair.get(pairKey(b.entity, b.system));
    if (!schedule?.enabled) {
      skipped.push({ ...pair, reason: schedule ? "its schedule is disabled" : "it has no schedule" });
      continue;
    }
    if (!cursors.has(pairKey(b.entity, b.system))) {
      skipped.push({ ...pair, reason: NEVER_READ_REASON });
      continue;
    }
    const key = `schedules.catchUp:${b.entity}:${b.system}`;
    const [claim] = await queryRows<{ key: string }>(
      engine.db,
      sql`insert into settings (key, value, updated_at) values (${key}, ${JSON.stringify({ by: engine.workerId })}::jsonb, now())
          on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at
            where settings.updated_at < now() - ${within} * interval '1 millisecond'
          returning key`,
    );
    if (!claim) {
      skipped.push({ ...pair, reason: "another process that started at the same time is catching it up" });
      continue;
    }
    try {
      const run = await createRun(engine, { ...pair, kind: "incremental", trigger: "schedule", startedBy: CATCH_UP_STARTED_BY });
      await engine.db.update(schedules).set({ lastRunId: run.id }).where(and(eq(schedules.entity, b.entity), eq(schedules.system, b.system)));
      started.push({ ...pair, runId: run.id });
      going.push(executeRun(engine, run.id, { ...opts.run, by: "worker" }).catch((err: unknown) => engine.log.error({ err, runId: run.id }, "catch-up run crashed")));
    } catch (err) {
      skipped.push({ ...pair, reason: isSyncError(err) ? err.message : String(err) });
    }
  }
  if (started.length || skipped.length) engine.log.info({ started, skipped }, "catch-up at start");
  const done = Promise.allSettled(going).then(() => undefined);
  const stop = async (waitMs = 10_000) => {
    for (const s of started) await cancelRun({ engine, actor: systemActor, input: { id: s.runId } }).catch(() => undefined); // already ended
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([done, new Promise<void>((r) => (timer = setTimeout(r, waitMs)))]);
    clearTimeout(timer);
  };
  return { started, skipped, done, stop };
}
