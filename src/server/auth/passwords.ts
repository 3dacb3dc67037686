import bcrypt from "bcryptjs";
import { SyncError } from "~/sync/errors";

const COST = 12;
/** A real hash of nothing in particular, compared against when the email is unknown so timing reveals nothing. */
const DUMMY_HASH = "$2b$12$C6UzMDM.H6dfI/f/IKxGhuYbkrgy6Kx7A2x8pDnM7b0uKH5z2sQ7i";

/**
 * bcrypt here is pure JavaScript and costs the server real CPU: at most MAX_CONCURRENT checks run at
 * once in a process, at most MAX_WAITING_HASH_CHECKS wait for a turn, and any more are refused (RATE_LIMITED) at once.
 */
export const MAX_CONCURRENT_HASH_CHECKS = 4;
export const MAX_WAITING_HASH_CHECKS = 16;
let running = 0;
const waiting: (() => void)[] = [];

async function withHashSlot<T>(work: () => Promise<T>, opts: { refuseWhenBusy: boolean }): Promise<T> {
  if (running >= MAX_CONCURRENT_HASH_CHECKS) {
    if (opts.refuseWhenBusy && waiting.length >= MAX_WAITING_HASH_CHECKS) throw new SyncError("RATE_LIMITED", "Too many sign-ins at once. Try again in a moment.", { retryAfterMs: 1000 });
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else running += 1;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

/** How many password checks are running now (for tests). */
export function hashChecksRunning(): number {
  return running;
}

export function hashPassword(plain: string): Promise<string> {
  // Hashing (an admin setting a password) waits its turn; only checks (sign-ins anyone can send) are refused.
  return withHashSlot(() => bcrypt.hash(plain, COST), { refuseWhenBusy: false });
}

export async function verifyPassword(plain: string, hash: string | null | undefined): Promise<boolean> {
  const ok = await withHashSlot(() => bcrypt.compare(plain, hash ?? DUMMY_HASH), { refuseWhenBusy: true });
  return ok && !!hash;
}
