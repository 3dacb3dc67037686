import { z } from "zod";

/** How an admin should read a system at a glance, worst first. */
export const HEALTH_STATES = ["disabled", "paused", "failing", "degraded", "healthy"] as const;
export const ZHealthState = z.enum(HEALTH_STATES);
export type THealthState = z.infer<typeof ZHealthState>;

/** Failing: at least this share of the last hour's attempts failed. */
export const FAILING_ERROR_RATE = 0.5;
/** Degraded: the oldest waiting delivery has waited longer than this. */
export const STUCK_AFTER_MS = 15 * 60_000;

export interface THealthFigures {
  enabled: boolean;
  pausedUntil: Date | null;
  failedAttempts: number;
  errorRate: number | null;
  dead: number;
  oldestWaitingAgeMs: number | null;
}

/**
 * Off by an admin → disabled; paused after repeated failures → paused; half or more of the last hour's
 * attempts failed → failing; any failed attempt, dead delivery or a delivery waiting over 15 min →
 * degraded; otherwise healthy.
 */
export function healthState(f: THealthFigures, now: Date): THealthState {
  if (!f.enabled) return "disabled";
  if (f.pausedUntil && f.pausedUntil.getTime() > now.getTime()) return "paused";
  if (f.failedAttempts > 0 && (f.errorRate ?? 0) >= FAILING_ERROR_RATE) return "failing";
  if (f.failedAttempts > 0 || f.dead > 0 || (f.oldestWaitingAgeMs ?? 0) > STUCK_AFTER_MS) return "degraded";
  return "healthy";
}

