import { describe, expect, it } from "vitest";
import {
  EVENT_RETRY_SCHEDULE,
  classifyHttpStatus,
  decideFailure,
  DEFAULT_RETRY_SCHEDULE,
  MAX_RETRY_AFTER_MS,
  nextRetryDelayMs,
  parseRetryAfter,
  SLOW_TAIL_SCHEDULE,
  ZRetrySchedule,
} from "~/sync/retry";

const mid = () => 0.5; // no jitter effect

describe("ZRetrySchedule", () => {
  it("defaults jitter to 0.2", () => {
    expect(ZRetrySchedule.parse({ delaysSeconds: [1, 2] })).toEqual({ delaysSeconds: [1, 2], jitter: 0.2 });
  });

  it("allows an empty schedule (no retries)", () => {
    expect(ZRetrySchedule.parse({ delaysSeconds: [] }).delaysSeconds).toEqual([]);
  });

  it.each([
    { delaysSeconds: [0] },
    { delaysSeconds: [-1] },
    { delaysSeconds: [1.5] },
    { delaysSeconds: Array.from({ length: 21 }, () => 1) },
    { delaysSeconds: [1], jitter: 1.1 },
    { delaysSeconds: [1], jitter: -0.1 },
  ])("rejects %j", (input) => {
    expect(ZRetrySchedule.safeParse(input).success).toBe(false);
  });

  it("the built-in schedules are valid", () => {
    expect(ZRetrySchedule.parse(DEFAULT_RETRY_SCHEDULE)).toEqual(DEFAULT_RETRY_SCHEDULE);
    expect(ZRetrySchedule.parse(SLOW_TAIL_SCHEDULE)).toEqual(SLOW_TAIL_SCHEDULE);
    expect(DEFAULT_RETRY_SCHEDULE.delaysSeconds).toEqual([5, 25, 125]);
    expect(SLOW_TAIL_SCHEDULE.delaysSeconds).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
  });
});

describe("nextRetryDelayMs", () => {
  it("walks the default schedule, then gives up", () => {
    const s = DEFAULT_RETRY_SCHEDULE;
    expect(nextRetryDelayMs({ schedule: s, attempt: 1, random: mid })).toBe(5_000);
    expect(nextRetryDelayMs({ schedule: s, attempt: 2, random: mid })).toBe(25_000);
    expect(nextRetryDelayMs({ schedule: s, attempt: 3, random: mid })).toBe(125_000);
    expect(nextRetryDelayMs({ schedule: s, attempt: 4, random: mid })).toBeNull();
    expect(nextRetryDelayMs({ schedule: s, attempt: 100, random: mid })).toBeNull();
  });

  it("gives up at once with an empty schedule", () => {
    expect(nextRetryDelayMs({ schedule: { delaysSeconds: [] }, attempt: 1, random: mid })).toBeNull();
  });

  it("spreads by ± jitter", () => {
    const s = { delaysSeconds: [100], jitter: 0.2 };
    expect(nextRetryDelayMs({ schedule: s, attempt: 1, random: () => 0 })).toBe(80_000);
    expect(nextRetryDelayMs({ schedule: s, attempt: 1, random: () => 0.999999 })).toBeCloseTo(120_000, -1);
    expect(nextRetryDelayMs({ schedule: s, attempt: 1, random: () => 0.75 })).toBe(110_000);
  });

  it("stays within bounds for many random values", () => {
    for (let i = 0; i < 500; i++) {
      const d = nextRetryDelayMs({ schedule: SLOW_TAIL_SCHEDULE, attempt: 2, random: Math.random });
      expect(d).toBeGreaterThanOrEqual(240_000);
      expect(d).toBeLessThanOrEqual(360_000);
    }
  });

  it("uses the default jitter when the schedule has none", () => {
    expect(nextRetryDelayMs({ schedule: { delaysSeconds: [10] }, attempt: 1, random: () => 0 })).toBe(8_000);
  });

  it("has no spread with zero jitter", () => {
    const s = { delaysSeconds: [10], jitter: 0 };
    expect(nextRetryDelayMs({ schedule: s, attempt: 1, random: () => 0 })).toBe(10_000);
    expect(nextRetryDelayMs({ schedule: s, attempt: 1, random: () => 0.99 })).toBe(10_000);
  });

  it("never waits less than upstream's Retry-After", () => {
    const s = DEFAULT_RETRY_SCHEDULE;
    expect(nextRetryDelayMs({ schedule: s, attempt: 1, random: mid, retryAfterMs: 60_000 })).toBe(60_000);
    expect(nextRetryDelayMs({ schedule: s, attempt: 1, random: mid, retryAfterMs: 1_000 })).toBe(5_000);
    expect(nextRetryDelayMs({ schedule: s, attempt: 1, random: mid, retryAfterMs: null })).toBe(5_000);
    expect(nextRetryDelayMs({ schedule: s, attempt: 4, random: mid, retryAfterMs: 1_000 })).toBeNull();
  });

  it("refuses attempts below 1", () => {
    expect(() => nextRetryDelayMs({ schedule: DEFAULT_RETRY_SCHEDULE, attempt: 0, random: mid })).toThrow(RangeError);
    expect(() => nextRetryDelayMs({ schedule: DEFAULT_RETRY_SCHEDULE, attempt: 1.5, random: mid })).toThrow(RangeError);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2024-05-01T12:00:00Z");

  it("reads delta-seconds", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("1.5", now)).toBe(1_500);
  });

  it("reads an HTTP-date", () => {
    expect(parseRetryAfter("Wed, 01 May 2024 12:00:30 GMT", now)).toBe(30_000);
  });

  it("clamps a past date to 0", () => {
    expect(parseRetryAfter("Wed, 01 May 2024 11:00:00 GMT", now)).toBe(0);
  });

  it("clamps to one hour", () => {
    expect(parseRetryAfter("86400", now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter("Thu, 02 May 2024 12:00:00 GMT", now)).toBe(3_600_000);
  });

  it("returns null when absent or unreadable", () => {
    for (const v of [null, undefined, "", "   ", "soon", "-5", "1e3", "12abc"]) {
      expect(parseRetryAfter(v, now)).toBeNull();
    }
  });
});

describe("classifyHttpStatus", () => {
  it.each([
    [200, "success"],
    [201, "success"],
    [204, "success"],
    [299, "success"],
    [429, "rate_limited"],
    [408, "retryable"],
    [425, "retryable"],
    [500, "retryable"],
    [502, "retryable"],
    [503, "retryable"],
    [504, "retryable"],
    [507, "retryable"],
    [599, "retryable"],
    [410, "gone"],
    [400, "permanent"],
    [401, "permanent"],
    [403, "permanent"],
    [404, "permanent"],
    [409, "permanent"],
    [422, "permanent"],
    [301, "permanent"],
    [100, "permanent"],
  ] as const)("%i → %s", (status, expected) => {
    expect(classifyHttpStatus(status)).toBe(expected);
  });
});

describe("decideFailure", () => {
  const schedule = { delaysSeconds: [5, 25], jitter: 0 };
  const random = () => 0.5;
  const err = (code: string, retryable: boolean, retryAfterMs?: number) => ({ code, retryable, retryAfterMs });

  it("a retryable failure counts and waits for the schedule's next delay, never less than Retry-After", () => {
    expect(decideFailure({ error: err("UPSTREAM_RETRYABLE", true), attempts: 0, schedule, random })).toEqual({ status: "retrying", failures: 1, delayMs: 5_000, outcome: "retry" });
    expect(decideFailure({ error: err("UPSTREAM_RETRYABLE", true, 60_000), attempts: 1, schedule, random })).toMatchObject({ failures: 2, delayMs: 60_000 });
  });

  it("past the schedule, or a permanent error, is dead", () => {
    expect(decideFailure({ error: err("UPSTREAM_RETRYABLE", true), attempts: 2, schedule, random })).toEqual({ status: "dead", failures: 3, delayMs: null, outcome: "dead" });
    expect(decideFailure({ error: err("UPSTREAM_PERMANENT", false), attempts: 0, schedule, random })).toEqual({ status: "dead", failures: 1, delayMs: null, outcome: "dead" });
  });

  it("a 429 does not count as a failure and waits for Retry-After (1 s without one, at least 100 ms)", () => {
    expect(decideFailure({ error: err("UPSTREAM_RATE_LIMITED", true, 7_000), attempts: 2, schedule, random })).toEqual({ status: "retrying", failures: 2, delayMs: 7_000, outcome: "rate_limited" });
    expect(decideFailure({ error: err("UPSTREAM_RATE_LIMITED", true), attempts: 0, schedule, random }).delayMs).toBe(1_000);
    expect(decideFailure({ error: err("UPSTREAM_RATE_LIMITED", true, 0), attempts: 0, schedule, random }).delayMs).toBe(100);
  });
});

describe("EVENT_RETRY_SCHEDULE (stored webhook events)", () => {
  const decide = (attempts: number, error = { code: "INTERNAL", retryable: true }) =>
    decideFailure({ error, attempts, schedule: EVENT_RETRY_SCHEDULE, random: () => 0.9 });

  it("takes an event up again after 1 s, doubling to a minute, and fails it on its eighth attempt", () => {
    expect(Array.from({ length: 7 }, (_, i) => decide(i).delayMs)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000]);
    expect(decide(7)).toMatchObject({ status: "dead", delayMs: null });
  });

  it("fails a permanent error at once, and waits out a 429 without counting it", () => {
    expect(decide(0, { code: "UPSTREAM_PERMANENT", retryable: false }).status).toBe("dead");
    expect(decideFailure({ error: { code: "UPSTREAM_RATE_LIMITED", retryable: true, retryAfterMs: 3_000 }, attempts: 7, schedule: EVENT_RETRY_SCHEDULE, random: () => 0 })).toMatchObject({
      status: "retrying",
      failures: 7,
      delayMs: 3_000,
    });
  });
});
