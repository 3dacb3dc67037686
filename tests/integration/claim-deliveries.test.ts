import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deliveries, links, records, systems } from "~/server/db/schema";
import { claimWithStates, nextDueAt } from "~/server/services/delivery/claim";
import { useTestEngine } from "../helpers/engine";

// The claim is one database call (concord_claim_deliveries): due deliveries oldest first across the systems that take
// deliveries, never one whose (record, system) has another in flight, each with its record and links read after the
// claim. nextDueAt asks the same rule.

const h = useTestEngine();

async function queue(system: string, recordId: string, minutesAgo: number, status = "pending"): Promise<number> {
  const [row] = await h.engine.db
    .insert(deliveries)
    .values({
      recordId,
      entity: "industry",
      system,
      status,
      nextAttemptAt: sql`now() - (${minutesAgo}::int * interval '1 minute')`,
      ...(status === "in_flight" ? { leaseUntil: sql`now() + interval '1 hour'`, claimedBy: "another-worker" } : {}),
    })
    .returning({ id: deliveries.id });
  return Number(row!.id);
}

describe("claiming deliveries", () => {
  it("claims the oldest due first across systems, skips a paused system's and a busy pair's, and brings records and links along", async () => {
    await h.engine.db.update(systems).set({ enabled: true, pausedUntil: null }).where(sql`true`);
    await h.engine.db.update(systems).set({ pausedUntil: sql`now() + interval '1 hour'` }).where(eq(systems.key, "lead-centre"));

    const [record] = await h.engine.db.insert(records).values({ entity: "industry", naturalKey: "claimed", data: { name: "Claimed", slug: "claimed" } }).returning();
    await h.engine.db.insert(links).values({ recordId: record!.id, entity: "industry", system: "dashboard", externalId: "41", lastValues: { name: "Claimed" }, origin: "dashboard" });
    const gone = randomUUID();
    const busy = randomUUID();

    // Older than everything for the CMS, but the Lead Centre is paused: these must not be in the way.
    for (let i = 0; i < 20; i++) await queue("lead-centre", randomUUID(), 120 + i);
    const first = await queue("cms", record!.id, 30);
    const second = await queue("cms", gone, 20); // its record is gone: claimed, with no state
    await queue("cms", busy, 60, "in_flight");
    const waitsForPair = await queue("cms", busy, 25);
    const third = await queue("dashboard", randomUUID(), 10);

    const a = await claimWithStates(h.engine, { limit: 2, leaseMs: 60_000 });
    expect(a.claimed.map((c) => c.id)).toEqual([first, second]);
    expect(a.claimed[0]).toMatchObject({ record_id: record!.id, entity: "industry", system: "cms", attempts: 0, fields: [], run_id: null });
    expect(typeof a.claimed[0]!.system_version).toBe("string");
    const state = a.states.get(record!.id)!;
    expect(state.record).toMatchObject({ id: record!.id, naturalKey: "claimed", data: { name: "Claimed", slug: "claimed" }, deletedAt: null, version: 1 });
    expect(state.record.createdAt).toBeInstanceOf(Date);
    expect(state.links).toEqual([{ system: "dashboard", externalId: "41", lastValues: { name: "Claimed" }, seenAt: null }]);
    expect(a.states.has(gone)).toBe(false);

    const b = await claimWithStates(h.engine, { limit: 10, leaseMs: 60_000 });
    expect(b.claimed.map((c) => c.id)).toEqual([third]); // the busy pair's waits; the paused system's wait
    const claimedRows = await h.engine.db.select({ id: deliveries.id, status: deliveries.status, claimedBy: deliveries.claimedBy }).from(deliveries).where(eq(deliveries.system, "cms"));
    expect(claimedRows.find((r) => Number(r.id) === first)).toMatchObject({ status: "in_flight", claimedBy: h.engine.workerId });
    expect(claimedRows.find((r) => Number(r.id) === waitsForPair)).toMatchObject({ status: "pending" });

    // Nothing claimable is due: the idle worker may sleep until the paused system comes back.
    expect(await nextDueAt(h.engine)).toBeNull();
    await h.engine.db.update(systems).set({ pausedUntil: null }).where(eq(systems.key, "lead-centre"));
    const due = await nextDueAt(h.engine);
    expect(due).toBeInstanceOf(Date);
    expect(Date.now() - due!.getTime()).toBeGreaterThan(138 * 60_000); // the oldest Lead Centre delivery, 139 minutes ago
    const c = await claimWithStates(h.engine, { limit: 5, leaseMs: 60_000 });
    expect(c.claimed.map((x) => x.system)).toEqual(["lead-centre", "lead-centre", "lead-centre", "lead-centre", "lead-centre"]);
  });
});
