import { RateLimiterDrizzle, type RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "~/server/db";
import { rateLimits } from "~/server/db/schema";

/**
 * Sign-in throttling, shared by every process through the `rate_limits` table. Every attempt takes a
 * point *before* its password is checked, in one atomic upsert per counter, so parallel requests cannot
 * all pass a check made before any of them failed:
 * - per client address: ADDRESS_MAX_ATTEMPTS in the window, whatever the account;
 * - per account: SIGN_IN_MAX_FAILURES failures lock it, but only for addresses that are failing — an
 *   address with no attempt in the window still gets one try at it, so a locked account still lets its
 *   owner in from a clean address and a lock-out is no denial of service; past ACCOUNT_HARD_MAX attempts
 *   in the window (many addresses guessing) the account refuses every address until the window ends.
 * An attempt refused by the account's lock gives its point back (it checked no password); a right
 * password gives back its address's point and clears the account's failures.
 */
export const SIGN_IN_MAX_FAILURES = 5;
export const ADDRESS_MAX_ATTEMPTS = 20;
export const ACCOUNT_HARD_MAX = 50;
const WINDOW_SECONDS = 15 * 60;

const limiters = new WeakMap<object, { account: RateLimiterDrizzle; address: RateLimiterDrizzle }>();

function limitersFor(db: Db) {
  let l = limiters.get(db);
  if (!l) {
    const make = (keyPrefix: string, points: number) =>
      new RateLimiterDrizzle({ storeClient: db, schema: rateLimits, keyPrefix, points, duration: WINDOW_SECONDS, clearExpiredByTimeout: false });
    l = { account: make("signin", SIGN_IN_MAX_FAILURES), address: make("signin-addr", ADDRESS_MAX_ATTEMPTS) };
    limiters.set(db, l);
  }
  return l;
}

const keyFor = (email: string) => email.trim().toLowerCase();
/** A request whose address is unknown has no address budget and is never "clean". */
const addressKey = (address: string | null | undefined) => address?.trim() || null;

export type TSignInTicket = { email: string; address: string | null };
export type TSignInAdmission = { ok: true; ticket: TSignInTicket } | { ok: false; retryAfterMs: number; reason: "address" | "account" };

const msLeft = (res: RateLimiterRes) => Math.max(res.msBeforeNext, 1000);

/** Takes this attempt's points, atomically, before any password is checked; says whether it may go on. */
export async function admitSignIn(db: Db, email: string, address: string | null | undefined): Promise<TSignInAdmission> {
  const l = limitersFor(db);
  const ticket = { email: keyFor(email), address: addressKey(address) };
  const byAddress = ticket.address === null ? null : await l.address.penalty(ticket.address, 1);
  if (byAddress && byAddress.consumedPoints > ADDRESS_MAX_ATTEMPTS) return { ok: false, retryAfterMs: msLeft(byAddress), reason: "address" };
  const byAccount = await l.account.penalty(ticket.email, 1);
  const locked = byAccount.consumedPoints > SIGN_IN_MAX_FAILURES;
  const cleanAddress = byAddress !== null && byAddress.consumedPoints === 1;
  if (locked && (!cleanAddress || byAccount.consumedPoints > ACCOUNT_HARD_MAX)) {
    await l.account.reward(ticket.email, 1).catch(() => undefined);
    return { ok: false, retryAfterMs: msLeft(byAccount), reason: "account" };
  }
  return { ok: true, ticket };
}

/** The password was right: the address gets its point back and the account's failures are forgotten. */
export async function signInSucceeded(db: Db, ticket: TSignInTicket): Promise<void> {
  const l = limitersFor(db);
  const address = ticket.address;
  await Promise.all([address ? l.address.reward(address, 1).catch(() => undefined) : null, l.account.delete(ticket.email)]);
}

/** Milliseconds until this email may be tried again from this address (0 = not blocked), for messages. */
export async function signInBlockedForMs(db: Db, email: string, address?: string | null): Promise<number> {
  const l = limitersFor(db);
  const addrKey = addressKey(address);
  const [acct, addr] = await Promise.all([l.account.get(keyFor(email)), addrKey ? l.address.get(addrKey) : null]);
  if (addr && addr.consumedPoints >= ADDRESS_MAX_ATTEMPTS) return msLeft(addr);
  if (acct && acct.consumedPoints >= SIGN_IN_MAX_FAILURES && (!addrKey || (addr?.consumedPoints ?? 0) > 0)) return msLeft(acct);
  return 0;
}

export function lockoutMessage(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  return `Too many failed sign-ins for this email. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

/**
 * The client's address as the nearest proxy saw it: the last `X-Forwarded-For` hop (Next.js sets the
 * header to the socket's address when no proxy did), else `X-Real-IP`. Behind a proxy that appends to
 * the header (most do), an address the client wrote itself is never the last hop.
 */
export function clientAddress(headers: Headers | null | undefined): string | null {
  const forwarded = headers?.get("x-forwarded-for");
  const last = forwarded?.split(",").map((s) => s.trim()).filter(Boolean).pop();
  return last ?? headers?.get("x-real-ip")?.trim() ?? null;
}
