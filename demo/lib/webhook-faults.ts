// Fault injection knobs for a system's outgoing webhooks (the chaos suite's delay / reorder / drop),
// drawn from a seeded random generator so a run can be replayed. Every knob is off by default.

export interface WebhookFaults {
  /** every message waits this long after the write before its first attempt */
  delayMs: number;
  /** plus a uniformly drawn 0..jitterMs */
  jitterMs: number;
  /** 0..1 share of messages that leave their record's ordered lane and go on their own (so they may overtake or be overtaken) */
  reorder: number;
  /** 0..1 share of messages never sent (logged as dropped; the write itself is kept) */
  drop: number;
  /** seed of the generator that draws jitter, reorder and drop; setting it restarts the sequence */
  seed: number;
}

export const DEFAULT_WEBHOOK_FAULTS: Readonly<WebhookFaults> = Object.freeze({ delayMs: 0, jitterMs: 0, reorder: 0, drop: 0, seed: 1 });

export class WebhookFaultsError extends Error {}

/** Validates a partial patch and returns the merged knobs. */
export function mergeWebhookFaults(current: WebhookFaults, patch: unknown): WebhookFaults {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) throw new WebhookFaultsError("Body must be an object");
  const next: WebhookFaults = { ...current };
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    switch (key) {
      case "delayMs":
      case "jitterMs":
        if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 3_600_000) {
          throw new WebhookFaultsError(`${key} must be a number in 0..3600000`);
        }
        next[key] = value;
        break;
      case "reorder":
      case "drop":
        if (typeof value !== "number" || !(value >= 0 && value <= 1)) throw new WebhookFaultsError(`${key} must be a number in 0..1`);
        next[key] = value;
        break;
      case "seed":
        if (typeof value !== "number" || !Number.isInteger(value)) throw new WebhookFaultsError("seed must be an integer");
        next.seed = value;
        break;
      default:
        throw new WebhookFaultsError(`Unknown webhook fault: ${key}`);
    }
  }
  return next;
}

/** mulberry32: a small, fast, seeded generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What became of one message, for a checker that compares what was acknowledged with what the receiver kept. */
export interface WebhookLogEntry {
  msgId: string;
  type: string;
  /** `${collection}:${id}` */
  record: string;
  /** when it was queued (ms since epoch) */
  queuedAt: number;
  /** acked: a 2xx answer; failed: every attempt failed; dropped: never sent (fault); discarded: reset or closed first */
  outcome: "acked" | "failed" | "dropped" | "discarded";
  at: number;
  /** it left its record's ordered lane (reorder fault) */
  reordered: boolean;
}
