import { randomUUID } from "node:crypto";
import { inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveries, systems } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { Worker } from "~/server/engine/worker";
import { reapExpiredLeases } from "~/server/services/delivery/claim";
import { createTestDb, type TestDb } from "../helpers/db";
import { createTestEngine } from "../helpers/engine";

let t: TestDb;
let engine: Engine;
beforeAll(async () => {
  t = await createTestDb();
  engine = await createTestEngine(t);
  // Nothing here is meant to be sent: with every system off, a drain reaps and claims nothing.
  await engine.db.update(systems).set({ enabled: false }).where(sql`true`);
}, 60_000);
afterAll(async () => {
  await t?.destroy();
});

type TRow = { status: string; attempts: number; lease?: "expired" | "live" };
/** Inserts deliveries of one (record, cms) pair in the order given (ids ascending); leases relative to the database's clock. */
async function pair(rows: TRow[]): Promise<number[]> {
  const recordId = randomUUID();
  const ids: number[] = [];
  for (const r of rows) {
    const leaseUntil = r.lease === "expired" ? sql`now() - interval '1 second'` : r.lease === "live" ? sql`now() + interval '1 hour'` : null;
    const [row] = await engine.db
      .insert(deliveries)
      .values({ recordId, entity: "industry", system: "cms", status: r.status, attempts: r.attempts, leaseUntil, claimedBy: r.status === "in_flight" ? "w-gone" : null })
      .returning({ id: deliveries.id });
    ids.push(Number(row!.id));
  }
  return ids;
}
async function states(ids: number[]): Promise<{ status: string; attempts: number }[]> {
  const rows = await engine.db.select({ id: deliveries.id, status: deliveries.status, attempts: deliveries.attempts }).from(deliveries).where(inArray(deliveries.id, ids));
  return ids.map((id) => rows.find((r) => Number(r.id) === id)!).map((r) => ({ status: r.status, attempts: Number(r.attempts) }));
}

describe("a dead worker's deliveries (expired leases)", () => {
  it("are superseded by the newer one waiting for the same pair, which inherits the attempt; a lone one is queued again", async () => {
    // A crashed send (2 attempts so far, this one counts as the third) with a newer pending delivery behind it.
    const behindPending = await pair([{ status: "in_flight", attempts: 2, lease: "expired" }, { status: "pending", attempts: 0 }]);
    // A pending one that already has more attempts keeps them.
    const behindTried = await pair([{ status: "in_flight", attempts: 1, lease: "expired" }, { status: "retrying", attempts: 5 }]);
    // Two expired together: the newer carries on, with the older's attempt counted, and its own.
    const twoExpired = await pair([{ status: "in_flight", attempts: 4, lease: "expired" }, { status: "in_flight", attempts: 1, lease: "expired" }]);
    // Alone: back to pending, the dead send counted.
    const alone = await pair([{ status: "in_flight", attempts: 0, lease: "expired" }]);
    // A live claim is not touched, nor the pending one behind it.
    const live = await pair([{ status: "in_flight", attempts: 0, lease: "live" }, { status: "pending", attempts: 0 }]);

    expect(await reapExpiredLeases(engine)).toBe(5);

    expect(await states(behindPending)).toEqual([{ status: "superseded", attempts: 2 }, { status: "pending", attempts: 3 }]);
    expect(await states(behindTried)).toEqual([{ status: "superseded", attempts: 1 }, { status: "retrying", attempts: 5 }]);
    expect(await states(twoExpired)).toEqual([{ status: "superseded", attempts: 4 }, { status: "pending", attempts: 6 }]);
    expect(await states(alone)).toEqual([{ status: "pending", attempts: 1 }]);
    expect(await states(live)).toEqual([{ status: "in_flight", attempts: 0 }, { status: "pending", attempts: 0 }]);
    expect(await reapExpiredLeases(engine)).toBe(0);
  });

  it("are reaped by a drain (RUN_WORKERS=false, the cron), which does not fail on them", async () => {
    const ids = await pair([{ status: "in_flight", attempts: 0, lease: "expired" }, { status: "pending", attempts: 0 }]);
    await new Worker(engine, { concurrency: 2 }).drain({ budgetMs: 5_000 });
    expect(await states(ids)).toEqual([{ status: "superseded", attempts: 0 }, { status: "pending", attempts: 1 }]);
  });
});
