import { RateLimiterDrizzle } from "rate-limiter-flexible";
import type { Db } from "~/server/db";
import { rateLimits } from "~/server/db/schema";

/** Five wrong passwords for one email within 15 minutes lock that email out for the rest of the window. */
export const SIGN_IN_MAX_FAILURES = 5;
const WINDOW_SECONDS = 15 * 60;

const limiters = new WeakMap<object, RateLimiterDrizzle>();

function limiterFor(db: Db): RateLimiterDrizzle {
  let limiter = limiters.get(db);
  if (!limiter) {
    limiter = new RateLimiterDrizzle({
      storeClient: db,
      schema: rateLimits,
      keyPrefix: "signin",
      points: SIGN_IN_MAX_FAILURES,
      duration: WINDOW_SECONDS,
      clearExpiredByTimeout: false,
    });
    limiters.set(db, limiter);
  }
  return limiter;
}

const keyFor = (email: string) => email.trim().toLowerCase();

/** Milliseconds until this email may try again, or 0 when it is not locked out. */
export async function signInBlockedForMs(db: Db, email: string): Promise<number> {
  const res = await limiterFor(db).get(keyFor(email));
  if (!res || res.consumedPoints < SIGN_IN_MAX_FAILURES) return 0;
  return Math.max(res.msBeforeNext, 1000);
}

export async function recordSignInFailure(db: Db, email: string): Promise<void> {
  await limiterFor(db)
    .penalty(keyFor(email), 1)
    .catch(() => undefined);
}

export async function clearSignInFailures(db: Db, email: string): Promise<void> {
  await limiterFor(db).delete(keyFor(email));
}

export function lockoutMessage(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  return `Too many failed sign-ins for this email. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
