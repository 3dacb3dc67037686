import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "~/server/db";
import { startEventLog } from "~/server/services/events/event-log";
import { useTestEngine } from "../helpers/engine";

// Each write of the engine event log takes what was buffered when it began; what comes meanwhile goes in the next.
// Stopping must still write everything raised before it returns.

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
});
