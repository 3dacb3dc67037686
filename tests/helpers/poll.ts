import type { SQL } from "drizzle-orm";
import { queryRows, type Db } from "~/server/db";

/**
 * Bounded wait until `check` gives something truthy, which it returns; polls every `everyMs` (often by default,
 * for races staged to the tens of milliseconds; slower where each check is a request or a query): never a fixed sleep.
 */
export async function until<T>(what: string, check: () => T | Promise<T>, timeoutMs = 30_000, everyMs = 10): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Waits until `query` returns rows, and returns them. */
export async function untilRows<T extends Record<string, unknown> = Record<string, unknown>>(db: Db, what: string, query: SQL, timeoutMs = 15_000): Promise<T[]> {
  let rows: T[] = [];
  await until(what, async () => (rows = await queryRows<T>(db, query)).length > 0, timeoutMs);
  return rows;
}
