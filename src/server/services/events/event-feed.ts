import { asc, gt, max } from "drizzle-orm";
import { listenerFor, type Db, type DbDriver } from "~/server/db";
import { POLL_WITHOUT_LISTEN_MS } from "~/server/db/pooling";
import { engineEvents } from "~/server/db/schema";
import type { TLogger } from "~/server/engine/context";

export const ENGINE_EVENTS_CHANNEL = "concord_engine_events";
const PAGE = 500;

export interface TStoredEvent {
  id: number;
  type: string;
  runId: string | null;
  payload: unknown;
}

type TListener = (rows: TStoredEvent[]) => void;

/**
 * One per database per process: tails `engine_events` by id and hands each new row, in id order, to the
 * live streams of this process. It reads when this process wrote events, when another process says so
 * over NOTIFY (Postgres), and on a slow poll as a safety net. Where LISTEN is unavailable (a pooled URL
 * with no unpooled one) the poll is the wake-up, every half second. Nothing runs while nobody listens.
 */
export class EventFeed {
  private listeners = new Set<TListener>();
  private last: number | null = null;
  private reading: Promise<void> | null = null;
  private again = false;
  private poll: ReturnType<typeof setInterval> | null = null;
  private unlisten: Promise<(() => Promise<unknown>) | null> | null = null;

  constructor(
    private readonly db: Db,
    private readonly driver: DbDriver,
    private readonly log: TLogger,
    private readonly pollMs: number,
  ) {}

  get size(): number {
    return this.listeners.size;
  }

  /** Every row after the feed's position is handed to `fn` from now on. */
  subscribe(fn: TListener): () => void {
    this.listeners.add(fn);
    if (this.listeners.size === 1) this.start();
    return () => {
      if (this.listeners.delete(fn) && this.listeners.size === 0) this.stop();
    };
  }

  /** The id read up to: every row at or below it has been handed out (or predates the listeners). */
  async position(): Promise<number> {
    if (this.last === null) await this.read();
    return this.last ?? 0;
  }

  /** Reads new rows now (coalesced: one read at a time, one more if asked again meanwhile). */
  read(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = this.readAll().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  /** A writer stored rows up to `upTo`. */
  poke(upTo: number): void {
    if (this.listeners.size && (this.last === null || upTo > this.last)) void this.read();
  }

  private async readAll(): Promise<void> {
    try {
      do {
        this.again = false;
        if (this.listeners.size === 0) return;
        if (this.last === null) {
          const [row] = await this.db.select({ id: max(engineEvents.id) }).from(engineEvents);
          this.last = row?.id ?? 0;
        }
        for (;;) {
          const rows = await this.db
            .select({ id: engineEvents.id, type: engineEvents.type, runId: engineEvents.runId, payload: engineEvents.payload })
            .from(engineEvents)
            .where(gt(engineEvents.id, this.last))
            .orderBy(asc(engineEvents.id))
            .limit(PAGE);
          if (rows.length === 0) break;
          this.last = rows.at(-1)!.id;
          for (const fn of [...this.listeners]) {
            try {
              fn(rows);
            } catch (err) {
              this.log.warn({ err }, "event listener failed");
            }
          }
          if (rows.length < PAGE) break;
        }
      } while (this.again);
    } catch (err) {
      this.log.warn({ err }, "could not read engine events");
    } finally {
      if (this.listeners.size === 0) this.last = null;
    }
  }

  private start(): void {
    const listen = this.driver === "postgres" ? listenerFor(this.db) : null; // PGlite is one process: its writer pokes the feed directly
    const pollMs = this.driver === "postgres" && !listen ? Math.min(this.pollMs, POLL_WITHOUT_LISTEN_MS) : this.pollMs;
    this.poll = setInterval(() => void this.read(), pollMs);
    this.poll.unref?.();
    if (!listen) return;
    this.unlisten = listen(ENGINE_EVENTS_CHANNEL, (payload) => this.poke(Number(payload) || Infinity))
      .then((l) => () => l.unlisten())
      .catch((err: unknown) => {
        this.log.warn({ err }, "could not listen for engine events: polling only");
        return null;
      });
  }

  private stop(): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
    const unlisten = this.unlisten;
    this.unlisten = null;
    void unlisten?.then((off) => off?.()).catch(() => {});
  }
}

const g = globalThis as unknown as { __concordEventFeeds?: WeakMap<Db, EventFeed> };
const feeds = (g.__concordEventFeeds ??= new WeakMap());

/** This process's feed over `db` (on globalThis: Next's route bundles are separate module instances). */
export function eventFeed(opts: { db: Db; driver: DbDriver; log: TLogger; pollMs?: number }): EventFeed {
  let feed = feeds.get(opts.db);
  if (!feed) {
    feed = new EventFeed(opts.db, opts.driver, opts.log, opts.pollMs ?? 2_000);
    feeds.set(opts.db, feed);
  }
  return feed;
}

/** Called by the writer in this process after a batch is committed. */
export function pokeEventFeed(db: Db, upTo: number): void {
  feeds.get(db)?.poke(upTo);
}
