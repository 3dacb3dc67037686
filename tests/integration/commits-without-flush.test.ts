import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitWithoutFlush, queryRows, type Db } from "~/server/db";
import { openDb, type DbHandle } from "~/server/db/client";
import type { Engine } from "~/server/engine/context";
import { claimWithStates } from "~/server/services/delivery/claim";
import { acquireRequestSlot } from "~/server/services/delivery/rate-limit";
import { EventLog } from "~/server/services/events/event-log";
import { claimWebhookEvents } from "~/server/services/webhooks/claim-webhook-events";
import { useTestEngine } from "../helpers/engine";

// Claims, rate-limit reservations, webhook applies and the event log's writes commit without waiting for their WAL flush (drizzle/0012,
// `commitWithoutFlush`), which is safe only because it stays inside their own transaction: the next statement on the
// same connection must wait for its flush again. Otherwise an echo-ledger entry (durable before its request goes out)
// or a stored webhook event (durable before its 202) could later be committed without one, on that connection.

const h = useTestEngine();
let single: DbHandle | null = null;
beforeAll(async () => {
  // One connection, so "the same connection afterwards" is what is looked at (PGlite is one session anyway).
  if (h.t.url) single = await openDb({ databaseUrl: h.t.url, max: 1 });
});
afterAll(async () => {
  await single?.close();
});

const setting = async (db: Db) => (await queryRows<{ synchronous_commit: string }>(db, sql`show synchronous_commit`))[0]!.synchronous_commit;

describe("commits without a flush", () => {
  it("apply to the claim's, the reservation's and the apply's own transaction, and to nothing after them", async () => {
    const engine = h.engine;
    const db = single?.db ?? engine.db;
    const on = { ...engine, db } as Engine;
    expect(await setting(db)).toBe("on");

    // Inside a transaction the setting is still off after the call: the call turned it off for its transaction.
    const offInside = async (call: (e: Engine) => Promise<unknown>) =>
      db.transaction(async (tx) => {
        await call({ ...engine, db: tx } as Engine);
        return setting(tx);
      });
    const calls: [string, (e: Engine) => Promise<unknown>][] = [
      ["delivery claim", (e) => claimWithStates(e, { limit: 5, leaseMs: 1_000 })],
      ["webhook event claim", (e) => claimWebhookEvents(e, { limit: 5, leaseMs: 1_000 })],
      ["rate-limit reservation", (e) => acquireRequestSlot(e, "cms", 100_000)],
      ["webhook apply", (e) => commitWithoutFlush(e.db)],
    ];
    for (const [what, call] of calls) {
      expect(await offInside(call), what).toBe("off");
      expect(await setting(db), `after the ${what}'s transaction`).toBe("on");
      // And on its own (a single statement is its own transaction), as the worker calls it.
      await call({ ...on } as Engine).catch(() => undefined);
      expect(await setting(db), `after a ${what} on its own`).toBe("on");
    }
  });

  it("applies to the event log's write (it holds the feed's lock until commit), and to nothing after it", async () => {
    const db = single?.db ?? h.engine.db;
    const engine = { ...h.engine, db } as Engine;
    const log = new EventLog(engine, { flushMs: 60_000 });
    const before = (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from engine_events`))[0]!.n;
    engine.bus.emit({ type: "delivery", id: 1, recordId: "00000000-0000-4000-8000-000000000001", system: "cms", status: "succeeded", action: "create" });
    await log.stop();
    expect((await queryRows<{ n: number }>(db, sql`select count(*)::int as n from engine_events`))[0]!.n).toBe(before + 1);
    expect(await setting(db), "after the event log's write").toBe("on");
  });
});
