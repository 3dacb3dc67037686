import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import { SyncError } from "~/sync/errors";
import { engineEvents, runs } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { sseResponse } from "~/server/http/sse";
import { eventFeed, type TStoredEvent } from "./event-feed";

export interface StreamEventsOptions {
  engine: Engine;
  /** Resume after this id (Last-Event-ID); without it, /updates starts now and a run's stream from its start. */
  lastEventId: number | null;
  /** Only this run's events. */
  runId?: string | null;
  signal?: AbortSignal;
  heartbeatMs?: number;
  /** The feed's safety poll (tests shorten it). */
  pollMs?: number;
  /** The stream ends after this long (default STREAM_MAX_MS); the browser reconnects with Last-Event-ID. */
  maxDurationMs?: number;
  /** Whether the caller may still listen, asked every `recheckMs` (default STREAM_RECHECK_MS). */
  stillAllowed?: () => Promise<boolean>;
  recheckMs?: number;
}

/** A stream lives at most this long before the client must reconnect (and so authenticate again). */
export const STREAM_MAX_MS = 10 * 60_000;
/** How often an open stream asks whether its user may still listen. */
const STREAM_RECHECK_MS = 30_000;

const PAGE = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Live run progress and delivery outcomes as server-sent events, each with its `engine_events` id.
 * Joins this process's feed first, then replays from the cursor out of the table, then goes live;
 * anything at or below what was sent is skipped, so a reconnect gets exactly what it missed, in order.
 */
export async function streamEvents(opts: StreamEventsOptions): Promise<Response> {
  const { engine } = opts;
  const runId = opts.runId ?? null;
  if (runId !== null) {
    const found = UUID.test(runId) && (await engine.db.select({ id: runs.id }).from(runs).where(eq(runs.id, runId))).length > 0;
    if (!found) throw new SyncError("NOT_FOUND", `There is no run ${runId}.`);
  }
  const feed = eventFeed({ db: engine.db, driver: engine.driver, log: engine.log, pollMs: opts.pollMs });

  return sseResponse({
    signal: opts.signal,
    heartbeatMs: opts.heartbeatMs,
    maxDurationMs: opts.maxDurationMs ?? STREAM_MAX_MS,
    recheck: opts.stillAllowed ? { everyMs: opts.recheckMs ?? STREAM_RECHECK_MS, allowed: opts.stillAllowed } : undefined,
    onError: (err) => engine.log.warn({ err, runId }, "event stream failed"),
    start: async (sink) => {
      let cursor = 0;
      let sentId = 0;
      let live = false;
      const pending: TStoredEvent[] = [];
      const send = (rows: TStoredEvent[]) => {
        for (const r of rows) {
          if (r.id <= cursor) continue;
          cursor = r.id;
          if (runId === null || r.runId === runId) {
            sink.send({ id: r.id, event: r.type, data: r.payload });
            sentId = r.id;
          }
        }
      };
      const off = feed.subscribe((rows) => (live ? send(rows) : pending.push(...rows)));
      try {
        const head = await feed.position();
        cursor = opts.lastEventId ?? (runId ? 0 : head);
        for (;;) {
          const where: SQL = runId ? and(gt(engineEvents.id, cursor), eq(engineEvents.runId, runId))! : gt(engineEvents.id, cursor);
          const rows = await engine.db
            .select({ id: engineEvents.id, type: engineEvents.type, runId: engineEvents.runId, payload: engineEvents.payload })
            .from(engineEvents)
            .where(where)
            .orderBy(asc(engineEvents.id))
            .limit(PAGE);
          send(rows);
          if (rows.length < PAGE || sink.closed) break;
        }
        live = true;
        send(pending.splice(0));
        // The client's Last-Event-ID is where this stream stands, even when nothing was sent: the reconnect
        // after the stream's bound then resumes exactly there.
        if (cursor > sentId || sentId === 0) sink.mark(cursor);
      } catch (err) {
        off();
        throw err;
      }
      return off;
    },
  });
}
