import { describe } from "vitest";
import { TEST_DATABASE_URL } from "./db";

/**
 * Tests that need several processes on one database exist only for Postgres (embedded PGlite allows
 * one process; its single-process case is covered beside them). CI runs the suite on both, so these are
 * registered where they can run rather than shown as skipped on PGlite.
 */
export function describeOnPostgres(name: string, ...rest: unknown[]): void {
  if (!TEST_DATABASE_URL) return;
  (describe as (n: string, ...r: unknown[]) => void)(name, ...rest);
}
