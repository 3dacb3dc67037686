import { sql } from "drizzle-orm";
import { runRows } from "~/server/db";
import { engineEvents } from "~/server/db/schema";
import type { EngineBus, TEngineEvent } from "~/server/engine/bus";
import type { Engine } from "~/server/engine/context";
import { ENGINE_EVENTS_CHANNEL, pokeEventFeed } from "./event-feed";

export interface EventLogOptions {
  /** Longest an event waits in memory before it is written. */
  flushMs?: number;
  /** Events written per insert; a full batch is written at once. */
  maxBatch?: number;
  /** How often old events are deleted (checked after a write). */
  pruneEveryMs?: number;
}

const LOGGED = new Set<TEngineEvent["type"]>(["run", "delivery"]);
const MAX_BUFFER = 20_000;
const MAX_ATTEMPTS = 5;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One batch, one statement (its own transaction): the writers' advisory lock is taken first (`lock` is joined to
 * every row, so no id is drawn before it is held) and held to the commit, so ids commit in id order. The commit does
 * not wait for its WAL flush: a flush under the lock made the writers of other processes queue behind it, and a
 * feed row only tells what the tables say (a database crash can lose the last of them, as it can a NOTIFY). The
 * batch is one parameter (a JSON array), inserted in its order; the statement returns the highest id, and on
 * Postgres tells other processes (their EventFeed) over NOTIFY, delivered on commit.
 */
const insertEvents = (notify: string) => `with lock as (
    select pg_advisory_xact_lock(hashtext('concord:engine_events')), set_config('synchronous_commit', 'off', true)),
  ins as (
    insert into engine_events (type, run_id, payload)
    select x.type, x.run_id, x.payload
      from jsonb_to_recordset($1::jsonb) as x(n int, type text, run_id uuid, payload jsonb) cross join lock
     order by x.n
    returning id)
  select max(id) as up_to${notify} from ins`;
const INSERT = insertEvents("");
const INSERT_AND_NOTIFY = insertEvents(`, pg_notify('${ENGINE_EVENTS_CHANNEL}', max(id)::text)`);

/**
 * Writes the run and delivery events emitted in this process into `engine_events`, in batches, so the
 * bus stays synchronous. Only events raised here are written (it listens as a bus bridge, which never
 * sees events that arrived from another process), so each event has one row, whose id is its SSE id.
 * Writers take one advisory lock per batch: ids commit in id order, so a reader that has seen id N has
 * seen every id below it. After the write, other processes are told over NOTIFY; this one directly.
 */
export class EventLog {
  private buffer: TEngineEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private writing: Promise<void> | null = null;
  private stopped = false;
  private failures = 0;
  private lastPrune = 0;
  private readonly flushMs: number;
  private readonly maxBatch: number;
  private readonly pruneEveryMs: number;

  constructor(
    private readonly engine: Engine,
    opts: EventLogOptions = {},
  ) {
    this.flushMs = opts.flushMs ?? 100;
    this.maxBatch = opts.maxBatch ?? 200;
    this.pruneEveryMs = opts.pruneEveryMs ?? 10 * 60_000;
    engine.bus.bridge((e) => this.take(e));
  }

  /** Writes everything buffered so far. */
  async flush(): Promise<void> {
    if (this.writing) await this.writing; // it took what was buffered when it began: what came since is written next
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.writing ??= this.drain().finally(() => {
      this.writing = null;
      // Events that came during the write wait their flushMs like any other (a busy worker writes a batch per
      // flushMs, not one after another); a full batch goes at once.
      if (this.buffer.length && !this.stopped) this.schedule(this.failures ? 1000 : this.buffer.length >= this.maxBatch ? 0 : this.flushMs);
    });
    return this.writing;
  }

  /** Writes what is buffered and stops taking events. */
  async stop(): Promise<void> {
    // Each write takes what was buffered when it began: events raised meanwhile go in the next (a few rounds at most).
    for (let round = 0; round < 5 && (round === 0 || (this.buffer.length > 0 && this.failures === 0)); round++) await this.flush();
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private take(e: TEngineEvent): void {
    if (this.stopped || !LOGGED.has(e.type)) return;
    this.buffer.push(e);
    if (this.buffer.length > MAX_BUFFER) {
      this.buffer.splice(0, this.buffer.length - MAX_BUFFER);
      this.engine.log.warn({ kept: MAX_BUFFER }, "engine event log is behind: dropped the oldest events");
    }
    this.schedule(this.buffer.length >= this.maxBatch ? 0 : this.flushMs);
  }

  private schedule(ms: number): void {
    if (this.writing) return; // the running write picks the new events up
    if (this.timer && ms > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), ms);
    this.timer.unref?.();
  }

  private async drain(): Promise<void> {
    let left = this.buffer.length;
    while (left > 0 && this.buffer.length) {
      const batch = this.buffer.slice(0, this.maxBatch);
      try {
        const upTo = await this.write(batch);
        this.buffer.splice(0, batch.length);
        left -= batch.length;
        this.failures = 0;
        pokeEventFeed(this.engine.db, upTo);
      } catch (err) {
        if (++this.failures >= MAX_ATTEMPTS) {
          this.buffer.splice(0, batch.length);
          this.failures = 0;
          this.engine.log.error({ err, dropped: batch.length }, "could not write engine events: dropped them");
        } else this.engine.log.warn({ err }, "could not write engine events: will retry");
        return;
      }
    }
    if (Date.now() - this.lastPrune > this.pruneEveryMs) await this.prune();
  }

  private async write(batch: TEngineEvent[]): Promise<number> {
    const rows = batch.map((e) => ({ type: e.type, run_id: e.type === "run" && UUID.test(e.id) ? e.id : null, payload: e }));
    const [row] = await runRows<{ up_to: number | string }>(this.engine.db, this.engine.driver === "postgres" ? INSERT_AND_NOTIFY : INSERT, rows);
    return Number(row!.up_to);
  }

  /** Events are kept for a day: long enough for any reconnect. */
  private async prune(): Promise<void> {
    this.lastPrune = Date.now();
    try {
      await this.engine.db.delete(engineEvents).where(sql`${engineEvents.at} < now() - interval '1 day'`);
    } catch (err) {
      this.engine.log.warn({ err }, "could not prune engine events");
    }
  }
}

// On globalThis: Next loads instrumentation and each route bundle as separate module instances.
const g = globalThis as unknown as { __concordEventLogs?: WeakMap<EngineBus, EventLog> };
const logs = (g.__concordEventLogs ??= new WeakMap());

/** Starts writing this engine's run and delivery events (once per bus; later calls return the same log). */
export function startEventLog(engine: Engine, opts?: EventLogOptions): EventLog {
  let log = logs.get(engine.bus);
  if (!log) {
    log = new EventLog(engine, opts);
    logs.set(engine.bus, log);
  }
  return log;
}

/** Writes what is buffered and stops (a process about to exit calls this so its last events are kept). */
export async function stopEventLog(engine: Engine): Promise<void> {
  const log = logs.get(engine.bus);
  logs.delete(engine.bus);
  await log?.stop();
}
