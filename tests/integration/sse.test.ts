import { describeOnPostgres } from "../helpers/drivers";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineEvents } from "~/server/db/schema";
import { EngineBus, type TEngineEvent } from "~/server/engine/bus";
import { bridgeOverPostgres } from "~/server/engine/pg-bridge";
import { silentLogger, type Engine } from "~/server/engine/context";
import { eventFeed } from "~/server/services/events/event-feed";
import { startEventLog, stopEventLog } from "~/server/services/events/event-log";
import { requireSessionForStream } from "~/server/services/events/require-session";
import { streamEvents, type StreamEventsOptions } from "~/server/services/events/stream-events";
import { createRun } from "~/server/services/runs/create-run";
import { executeRun } from "~/server/services/runs/execute-run";
import { openDb } from "~/server/db/client";
import { createTestDb, testDriver, type TestDb } from "../helpers/db";
import { createTestEngine } from "../helpers/engine";
import { startHarness, type Harness } from "../helpers/harness";
import { waitFor } from "../helpers/worker-process";

interface Frame { id?: string; event?: string; data?: string; comment?: string }

/** Opens a stream as a browser would and collects its frames. */
async function open(opts: Omit<StreamEventsOptions, "signal" | "lastEventId"> & { lastEventId?: number | null }) {
  const abort = new AbortController();
  const res = await streamEvents({ heartbeatMs: 60_000, pollMs: 60_000, lastEventId: null, ...opts, signal: abort.signal });
  const frames: Frame[] = [];
  let ended = false;
  void (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let i: number;
      while ((i = buf.indexOf("\n\n")) >= 0) {
        const f: Frame = {};
        for (const l of buf.slice(0, i).split("\n")) {
          if (l.startsWith(": ")) f.comment = l.slice(2);
          else if (/^(id|event|data): /.test(l)) f[l.slice(0, l.indexOf(":")) as "id"] = l.slice(l.indexOf(":") + 2);
        }
        frames.push(f);
        buf = buf.slice(i + 2);
      }
    }
    ended = true;
  })();
  const events = (of?: string) => frames.filter((f) => f.event && (!of || (JSON.parse(f.data!) as { id: unknown }).id === of));
  const until = async (check: () => boolean, what: string, ms = 10_000) => {
    for (const end = Date.now() + ms; !check(); await new Promise((r) => setTimeout(r, 20))) if (Date.now() > end) throw new Error(`timed out: ${what}`);
  };
  return { res, frames, events, until, close: () => abort.abort(), ended: () => ended };
}

const runEvent = (id: string, n: number): TEngineEvent => ({ type: "run", id, status: "running", phase: "reading", counts: { fetched: n }, percent: n * 10, current: `item-${n}` });
const busListeners = (e: Engine) => (e.bus as unknown as { emitter: { listenerCount(n: string): number } }).emitter.listenerCount("event");

describe(`live progress over SSE (${testDriver})`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    startEventLog(h.engine, { flushMs: 20 });
    h.samples.system("dashboard").setConfig({ webhooks: false });
    h.samples.system("dashboard").seedSynthetic(12);
  });
  afterAll(async () => {
    if (h) await stopEventLog(h.engine);
    await h?.stop();
  });

  it("a client receives a real run's events in order; the run's own stream replays them; a reconnect gets only what it missed", async () => {
    const all = await open({ engine: h.engine });
    await all.until(() => all.frames.length > 0, "the stream to open");
    const run = await createRun(h.engine, { entity: "industry", system: "dashboard", kind: "full", trigger: "admin", startedBy: "test" });
    await executeRun(h.engine, run.id, { pageSize: 5 });
    await h.settle();
    await all.until(() => all.events(run.id).some((f) => JSON.parse(f.data!).status === "succeeded"), "the run to finish on the stream");
    const seen = all.events(run.id).map((f) => ({ ...(JSON.parse(f.data!) as { status: string; counts: { fetched: number }; percent: number | null }), id: Number(f.id) }));
    expect(seen.map((e) => e.status)).toEqual(["running", "running", "running", "succeeded"]);
    expect(seen.map((e) => e.counts.fetched)).toEqual([5, 10, 12, 12]);
    expect(seen.at(-1)!.percent).toBe(100);
    await all.until(() => all.frames.filter((f) => f.event === "delivery").length >= 24, "the deliveries' outcomes"); // 12 to the CMS, 12 to the Lead Centre
    const ids = all.frames.filter((f) => f.id).map((f) => Number(f.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    all.close();

    const one = await open({ engine: h.engine, runId: run.id });
    await one.until(() => one.events().length === 4, "the run's replay");
    expect(one.events().map((f) => Number(f.id))).toEqual(seen.map((e) => e.id));
    expect(one.events().every((f) => f.event === "run")).toBe(true);
    one.close();

    const again = await open({ engine: h.engine, runId: run.id, lastEventId: seen[1]!.id });
    await again.until(() => again.events().length >= 2, "the missed events");
    await new Promise((r) => setTimeout(r, 200));
    expect(again.events().map((f) => Number(f.id))).toEqual([seen[2]!.id, seen[3]!.id]);
    again.close();
  });

  it("resumes /updates from Last-Event-ID with exactly the events emitted while away", async () => {
    const id = randomUUID();
    const first = await open({ engine: h.engine });
    await first.until(() => first.frames.length > 0, "the stream to open");
    for (let n = 1; n <= 3; n++) h.engine.bus.emit(runEvent(id, n));
    await first.until(() => first.events(id).length === 3, "the first three");
    const last = Number(first.events(id).at(-1)!.id);
    first.close();
    for (let n = 4; n <= 6; n++) h.engine.bus.emit(runEvent(id, n));
    await startEventLog(h.engine).flush();
    const second = await open({ engine: h.engine, lastEventId: last });
    await second.until(() => second.events(id).length >= 3, "the missed three");
    h.engine.bus.emit(runEvent(id, 7));
    await second.until(() => second.events(id).length >= 4, "the live one");
    await new Promise((r) => setTimeout(r, 200));
    expect(second.events(id).map((f) => (JSON.parse(f.data!) as { current: string }).current)).toEqual(["item-4", "item-5", "item-6", "item-7"]);
    expect(second.events(id).every((f) => Number(f.id) > last)).toBe(true);
    second.close();
  });

  it("sends a heartbeat comment and cleans up every listener when the client goes away", async () => {
    const feed = eventFeed({ db: h.engine.db, driver: h.engine.driver, log: h.engine.log });
    const before = { feed: feed.size, bus: busListeners(h.engine) };
    const s = await open({ engine: h.engine, heartbeatMs: 50 });
    expect(s.res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(s.res.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(s.res.headers.get("x-accel-buffering")).toBe("no");
    await s.until(() => s.frames.filter((f) => f.comment === "heartbeat").length >= 2, "two heartbeats", 2_000);
    expect(feed.size).toBe(before.feed + 1);
    s.close();
    await s.until(() => s.ended(), "the stream to end");
    expect(feed.size).toBe(before.feed);
    expect(busListeners(h.engine)).toBe(before.bus);
  });

  it("an unknown run is a 404 and an anonymous request a 401", async () => {
    await expect(streamEvents({ engine: h.engine, lastEventId: null, runId: randomUUID() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(streamEvents({ engine: h.engine, lastEventId: null, runId: "not-a-uuid" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const denied = requireSessionForStream(null);
    expect(denied?.status).toBe(401);
    expect(await denied?.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    expect(requireSessionForStream({ user: {} })?.status).toBe(401);
    expect(requireSessionForStream({ user: { id: randomUUID() } })).toBeNull();
  });
});

describeOnPostgres("across processes (Postgres LISTEN/NOTIFY)", () => {
  let t: TestDb;
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
    await t?.destroy();
  });

  it("events from another engine (own pool, bus and bridge) reach a stream served here once each, in id order", async () => {
    t = await createTestDb();
    const here = await createTestEngine(t);
    const otherDb = await openDb({ databaseUrl: t.url!, unpooledUrl: t.unpooledUrl, max: 2 });
    const other = await createTestEngine({ ...t, ...otherDb });
    for (const e of [here, other]) {
      startEventLog(e, { flushMs: 20 });
      const stopBridge = await bridgeOverPostgres(e.bus, t.url!, e.log, { unpooledUrl: t.unpooledUrl });
      cleanup.push(() => stopEventLog(e), stopBridge);
    }
    cleanup.push(() => otherDb.close());
    const s = await open({ engine: here }); // the safety poll is 60 s: only NOTIFY can bring these in time
    await s.until(() => s.frames.length > 0, "the stream to open");
    const id = randomUUID();
    for (let n = 1; n <= 40; n++) (n % 2 ? other : here).bus.emit(runEvent(id, n));
    await s.until(() => s.events(id).length >= 40, "forty events from two processes");
    // A sentinel from each process, after the forty: once both are in, a duplicate would have come before them.
    const sentinel = randomUUID();
    for (const [n, e] of [here, other].entries()) e.bus.emit(runEvent(sentinel, n + 1));
    await s.until(() => s.events(sentinel).length >= 2, "the sentinels");
    const got = s.events(id);
    expect(got).toHaveLength(40);
    expect(got.map((f) => Number(f.id))).toEqual(got.map((f) => Number(f.id)).sort((a, b) => a - b));
    expect(new Set(got.map((f) => (JSON.parse(f.data!) as { current: string }).current)).size).toBe(40);
    expect(await t.db.select().from(engineEvents).where(eq(engineEvents.runId, id))).toHaveLength(40); // the bridged copies were not written again
    s.close();
  });

  it("the bridge carries wake-ups (one per tick, inbox flag kept) and no delivery events", async () => {
    t ??= await createTestDb();
    const a = new EngineBus();
    const b = new EngineBus();
    for (const bus of [a, b]) cleanup.push(await bridgeOverPostgres(bus, t.url!, silentLogger, { unpooledUrl: t.unpooledUrl }));
    const got: TEngineEvent[] = [];
    b.on((e) => got.push(e));
    a.emit({ type: "delivery", id: 1, recordId: randomUUID(), system: "cms", status: "succeeded", action: "update" });
    a.wake();
    a.wake({ inbox: true });
    a.wake();
    await waitFor(() => got.length > 0, 5_000, "the wake-up to cross");
    // A later wake-up as a sentinel: notifications arrive in order, so anything sent before it is in by then.
    a.wake();
    await waitFor(() => got.length > 1, 5_000, "the sentinel wake-up to cross");
    expect(got).toEqual([{ type: "wake", inbox: true }, { type: "wake" }]);
  });
});
