import { afterAll, describe, expect, it } from "vitest";
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

  it("a slow limit takes one slot per round trip and spaces requests by 1/limit", async () => {
    const engine = await createTestEngine(t);
    const granted: number[] = [];
    for (let i = 0; i < 6; i++) {
      await acquireRequestSlot(engine, "lead-centre", 8);
      granted.push(Date.now());
    }
    const gaps = granted.slice(1).map((g, i) => g - granted[i]!);
    // 8/s paced at 80 % is one request every 156 ms; timers only ever fire late.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(150);
  }, 30_000);
});
