import { z } from "zod";

/** A retry schedule as data: the delay before each retry, in order, plus jitter. */
export const ZRetrySchedule = z.object({
  delaysSeconds: z.array(z.number().int().positive()).min(0).max(20),
  /** Fraction of each delay by which it may move either way (0.2 = ±20 %). */
  jitter: z.number().min(0).max(1).default(0.2),
});
export type TRetrySchedule = z.infer<typeof ZRetrySchedule>;
export type TRetryScheduleInput = z.input<typeof ZRetrySchedule>;

/** Three retries with exponential backoff: 5 s, 25 s, 125 s. */
export const DEFAULT_RETRY_SCHEDULE: TRetrySchedule = { delaysSeconds: [5, 25, 125], jitter: 0.2 };

/** Svix-like long tail: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (about 27 hours in all). */
export const SLOW_TAIL_SCHEDULE: TRetrySchedule = {
  delaysSeconds: [5, 300, 1800, 7200, 18000, 36000, 36000],
  jitter: 0.2,
};

/**
 * A stored webhook event that fails to apply (its thin event's fetch failed, a deadlock, a bug) is taken up
 * again on this schedule — 1 s doubling to a minute, eight attempts in all — then marked failed, where the
 * Deliveries page's inbox shows it and a replay takes it again. No jitter: the events of one system wait in order.
 */
export const EVENT_RETRY_SCHEDULE: TRetrySchedule = { delaysSeconds: [1, 2, 4, 8, 16, 32, 60], jitter: 0 };

export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

export interface TNextRetryDelayOptions {
  schedule: TRetryScheduleInput;
  /** Failed attempts so far, 1-based: after the first failure, pass 1. */
  attempt: number;
  /** Returns a number in [0, 1), like Math.random. */
  random: () => number;
  /** Upstream asked us to wait at least this long (Retry-After); the delay is never shorter. */
  retryAfterMs?: number | null;
}

/** Milliseconds to wait before the next attempt, or null when the schedule is used up (dead letter). */
export function nextRetryDelayMs(opts: TNextRetryDelayOptions): number | null {
  if (!Number.isInteger(opts.attempt) || opts.attempt < 1) {
    throw new RangeError(`attempt must be a positive integer, got ${opts.attempt}`);
  }
  const baseSeconds = opts.schedule.delaysSeconds[opts.attempt - 1];
  if (baseSeconds === undefined) return null;
  const jitter = Math.min(1, Math.max(0, opts.schedule.jitter ?? 0.2));
  const r = Math.min(1, Math.max(0, opts.random()));
  const factor = 1 + jitter * (2 * r - 1);
  const delay = Math.max(0, Math.round(baseSeconds * 1000 * factor));
  const floor = opts.retryAfterMs ?? 0;
  return Math.max(delay, floor);
}

export interface TFailureDecision {
  /** "retrying": again after `delayMs`; "dead": the schedule is used up or the error is permanent. */
  status: "retrying" | "dead";
  /** Failed attempts counted after this one (a 429 is not a failure: it does not count). */
  failures: number;
  delayMs: number | null;
  /** What the attempt row says. */
  outcome: "rate_limited" | "retry" | "dead";
}

/**
 * What a failed attempt leads to, as pure policy: a 429 waits for Retry-After (at least 100 ms, 1 s when none
 * is given) without counting as a failure; a retryable error is tried again on the schedule (with jitter, never
 * before Retry-After); a permanent error, or one past the schedule, is dead.
 */
export function decideFailure(opts: {
  error: { code: string; retryable: boolean; retryAfterMs?: number | null };
  /** Failed attempts before this one. */
  attempts: number;
  schedule: TRetryScheduleInput;
  random: () => number;
}): TFailureDecision {
  const { error } = opts;
  const rateLimited = error.code === "UPSTREAM_RATE_LIMITED";
  const failures = rateLimited ? opts.attempts : opts.attempts + 1;
  const delayMs = rateLimited
    ? Math.max(error.retryAfterMs ?? 1000, 100)
    : error.retryable
      ? nextRetryDelayMs({ schedule: opts.schedule, attempt: failures, random: opts.random, retryAfterMs: error.retryAfterMs ?? null })
      : null;
  const status = delayMs === null ? "dead" : "retrying";
  return { status, failures, delayMs, outcome: rateLimited ? "rate_limited" : status === "dead" ? "dead" : "retry" };
}

/**
 * Parses a Retry-After header: delta-seconds ("120") or an HTTP-date. Returns milliseconds from
 * `nowMs`, clamped to [0, 1 hour], or null when absent or unreadable.
 */
export function parseRetryAfter(headerValue: string | null | undefined, nowMs: number): number | null {
  if (headerValue === null || headerValue === undefined) return null;
  const value = headerValue.trim();
  if (value === "") return null;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(value)) {
    ms = Number(value) * 1000;
  } else if (/[a-z]/i.test(value)) {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return null;
    ms = at - nowMs;
  } else {
    return null;
  }
  return Math.round(Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms)));
}

export type THttpStatusClass = "success" | "retryable" | "rate_limited" | "permanent" | "gone";

const RETRYABLE_4XX = new Set([408, 425]);

/** What an HTTP status means for a delivery. 1xx/3xx (not expected after fetch) count as permanent. */
export function classifyHttpStatus(status: number): THttpStatusClass {
  if (status >= 200 && status <= 299) return "success";
  if (status === 429) return "rate_limited";
  if (status === 410) return "gone";
  if (RETRYABLE_4XX.has(status)) return "retryable";
  if (status >= 500 && status <= 599) return "retryable";
  return "permanent";
}
