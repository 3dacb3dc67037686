// Fault injection knobs, per system, applied to `/api/` requests only.

export interface Faults {
  /** delay before handling every API request */
  latencyMs: number;
  /** 0..1 share of API requests answered 500 {error:"injected"} (nothing applied) */
  errorRate: number;
  /** 0..1 share of API requests answered 429 with Retry-After (nothing applied) */
  rate429: number;
  /** value of the Retry-After header on injected 429s */
  retryAfterSeconds: number;
  /** destroy the socket without answering (client sees a network error) */
  down: boolean;
  /** > 0: writes are applied, then the response is delayed by this many ms */
  applyButTimeoutMs: number;
}

export const DEFAULT_FAULTS: Readonly<Faults> = Object.freeze({
  latencyMs: 0,
  errorRate: 0,
  rate429: 0,
  retryAfterSeconds: 1,
  down: false,
  applyButTimeoutMs: 0,
});

export class FaultsError extends Error {}

/** Validates a partial fault patch and returns the merged result. */
export function mergeFaults(current: Faults, patch: unknown): Faults {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) throw new FaultsError("Body must be an object");
  const next: Faults = { ...current };
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    switch (key) {
      case "latencyMs":
      case "retryAfterSeconds":
      case "applyButTimeoutMs":
        if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
          throw new FaultsError(`${key} must be a number >= 0`);
        }
        next[key] = value;
        break;
      case "errorRate":
      case "rate429":
        if (typeof value !== "number" || !(value >= 0 && value <= 1)) throw new FaultsError(`${key} must be a number in 0..1`);
        next[key] = value;
        break;
      case "down":
        if (typeof value !== "boolean") throw new FaultsError("down must be a boolean");
        next.down = value;
        break;
      default:
        throw new FaultsError(`Unknown fault: ${key}`);
    }
  }
  return next;
}
