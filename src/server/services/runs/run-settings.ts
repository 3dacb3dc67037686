import { eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { settings } from "~/server/db/schema";

/** How far back before its cursor an incremental run reads, against clock skew and late commits. */
export const DEFAULT_OVERLAP_MS = 2 * 60_000;
export const OVERLAP_SETTING = "runs.incrementalOverlapSeconds";

/** A number kept in the settings table, or the fallback when it is missing or not a number ≥ 0. */
export async function numberSetting(db: Db, key: string, fallback: number): Promise<number> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).limit(1);
  const value = row?.value;
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : fallback;
}

export async function overlapMs(db: Db): Promise<number> {
  return (await numberSetting(db, OVERLAP_SETTING, DEFAULT_OVERLAP_MS / 1000)) * 1000;
}
