import { eq } from "drizzle-orm";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { systems } from "~/server/db/schema";
import { connectorFor } from "~/server/services/connections/connector-for";
import { getConnection } from "~/server/services/connections/get-connection";
import { acquireRequestSlot } from "~/server/services/delivery/rate-limit";
import { createTestDb, type TestDb } from "../helpers/db";
import { createTestEngine } from "../helpers/engine";

const LIMIT = 200; // requests per second: fast enough that slots are reserved in blocks
const PER_ENGINE = 320; // forty for each of eight senders
let t: TestDb;
afterAll(async () => {
  await t?.destroy();
});

/** The most slot grants that fall inside any one-second window (sliding, not aligned to seconds). */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe("rate pacing shared through the database", () => {
  it("two engines taking slots in blocks together stay under the limit in every second", async () => {
    t = await createTestDb();
    const engines = [await createTestEngine(t), await createTestEngine(t)];
    const granted: number[] = [];
    const take = async (engine: (typeof engines)[number], n: number) => {
      for (let i = 0; i < n; i++) {
        await acquireRequestSlot(engine, "cms", LIMIT);
        granted.push(Date.now());
      }
    };
    // Eight concurrent senders per engine, as a worker's deliveries would be.
    await Promise.all(engines.flatMap((e) => Array.from({ length: 8 }, () => take(e, PER_ENGINE / 8))));

    expect(granted).toHaveLength(2 * PER_ENGINE);
    expect(busiestSecond(granted)).toBeLessThanOrEqual(LIMIT);
    // Pacing is at 80 %: 640 slots take at least (600 - one second's worth) / 160 s, so nothing was skipped.
    expect(Math.max(...granted) - Math.min(...granted)).toBeGreaterThan(((2 * PER_ENGINE - LIMIT) / (LIMIT * 0.8)) * 1000);
  }, 60_000);

  it("a slow limit (one slot per reservation) also stays under it in every second", async () => {
    const engine = await createTestEngine(t);
    const granted: number[] = [];
    // Three concurrent senders, twelve requests, at 8 per second (paced at 6.4/s: about two seconds).
    await Promise.all(
      Array.from({ length: 3 }, async () => {
        for (let i = 0; i < 4; i++) {
          await acquireRequestSlot(engine, "lead-centre", 8);
          granted.push(Date.now());
        }
      }),
    );
    expect(granted).toHaveLength(12);
    expect(busiestSecond(granted)).toBeLessThanOrEqual(8);
    expect(Math.max(...granted) - Math.min(...granted)).toBeGreaterThan(1000); // twelve do not fit in a second
  }, 30_000);

  it("every request of a connector made for a system takes a slot: no caller has to remember it", async () => {
    const arrived: number[] = [];
    const server = createServer((req, res) => {
      arrived.push(Date.now());
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: { id: 1, title: "x" } }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const engine = await createTestEngine(t, { http: undefined });
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await engine.db.update(systems).set({ baseUrl: url, rateLimitPerSecond: 8 }).where(eq(systems.key, "lead-centre"));
      const connector = connectorFor(engine, await getConnection(engine, "lead-centre"));
      // Three callers, twelve reads, none of them pacing itself: the limit still holds at the receiver.
      await Promise.all(Array.from({ length: 3 }, async () => {
        for (let i = 0; i < 4; i++) await connector.get("industries", String(i + 1));
      }));
      expect(arrived).toHaveLength(12);
      expect(busiestSecond(arrived)).toBeLessThanOrEqual(8);
    } finally {
      server.close();
    }
  }, 30_000);
});
