import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "~/server/db";
import { openDb } from "~/server/db/client";
import { EventLog, startEventLog } from "~/server/services/events/event-log";
import { useTestEngine } from "../helpers/engine";

// Each write of the engine event log takes what was buffered when it began; what comes meanwhile goes in the next.
// Stopping must still write everything raised before it returns. Writers in several processes take one advisory lock
// per batch, and no batch draws an id before it holds it: ids then commit in id order, so a reader that has seen id N
// has seen every id below it.

const h = useTestEngine();

const delivery = (id: number) => ({ type: "delivery" as const, id, recordId: "r", system: "cms", status: "succeeded", action: "update" });

describe("the engine event log", () => {
  it("writes events raised while its last write is under way before stop() returns", async () => {
    const log = startEventLog(h.engine, { flushMs: 60_000 });
    for (const id of [1, 2, 3]) h.engine.bus.emit(delivery(id));
    const stopping = log.stop(); // its first write takes events 1-3
    for (const id of [4, 5]) h.engine.bus.emit(delivery(id)); // raised while that write is under way
    await stopping;
    const rows = await queryRows<{ id: number }>(h.engine.db, sql`select (payload->>'id')::int as id from engine_events where type = 'delivery' order by id`);
    expect(rows.map((r) => Number(r.id))).toEqual([1, 2, 3, 4, 5]);
  });

  it("draws a batch's ids in the batch's order, and none before it holds the writers' lock", async () => {
    const lastId = async () => (await queryRows<{ v: string | null }>(h.engine.db, sql`select pg_sequence_last_value(pg_get_serial_sequence('engine_events', 'id'))::text as v`))[0]!.v;
    const first = await lastId();
    // On Postgres another session holds the lock meanwhile (PGlite is one session: nothing can hold it there).
    const holder = h.t.url ? await openDb({ databaseUrl: h.t.url, max: 1 }) : null;
    await holder?.db.execute(sql`select pg_advisory_lock(hashtext('concord:engine_events'))`);
    const log = new EventLog(h.engine, { flushMs: 60_000 });
    for (const id of [13, 11, 12]) h.engine.bus.emit(delivery(id));
    const writing = log.flush();
    if (holder) {
      await waitFor(async () => (await queryRows<{ n: number }>(h.engine.db, sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event = 'advisory'`))[0]!.n > 0);
      expect(await lastId(), "an id drawn while the lock was held elsewhere").toBe(first);
      await holder.db.execute(sql`select pg_advisory_unlock(hashtext('concord:engine_events'))`);
    }
    await writing;
    await log.stop();
    await holder?.close();
    const rows = await queryRows<{ delivery: number }>(h.engine.db, sql`select (payload->>'id')::int as delivery from engine_events where id > ${Number(first ?? 0)} order by engine_events.id`);
    expect(rows.map((r) => Number(r.delivery))).toEqual([13, 11, 12]);
  });
});

/** Polls `check` every 10 ms for at most 10 s. */
async function waitFor(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("the event log's write never waited for the lock");
    await new Promise((r) => setTimeout(r, 10));
  }
}
