import { like } from "drizzle-orm";
import { isSourceBinding, type TBinding, type TSyncConfig } from "~/sync/config";
import type { Db } from "~/server/db";
import { settings, syncCursors } from "~/server/db/schema";

/**
 * The default catch-up schedule: every source binding (its system may send changes into Concord) that
 * can be read incrementally is read every few minutes, so a change whose webhook its sender dropped
 * (Concord was down longer than the sender retried) arrives on its own.
 */
export const DEFAULT_CATCH_UP_CRON = "*/5 * * * *";
export const DEFAULT_CATCH_UP_TIMEZONE = "UTC";

/**
 * That a default was created for a binding is remembered in `settings` under this key, whatever
 * happens to the schedule afterwards: it is created once, never again (an admin who removed it meant
 * it), and `editedAt` says an admin has made it theirs (edited it, or it was theirs already).
 */
const MARKER_PREFIX = "schedules.default:";
export const defaultMarkerKey = (entity: string, system: string) => `${MARKER_PREFIX}${entity}:${system}`;

export interface TDefaultMarker {
  cron: string;
  createdAt: string;
  editedAt: string | null;
}

/** The bindings that get a default catch-up schedule: source bindings with an updated-at field (a cursor). */
export function catchUpBindings(config: TSyncConfig): TBinding[] {
  return config.bindings.filter((b) => isSourceBinding(b) && !!b.updatedAtField);
}

export const pairKey = (entity: string, system: string) => `${entity}\u0000${system}`;

/** Every binding's default marker, by pairKey. */
export async function readDefaultMarkers(db: Db): Promise<Map<string, TDefaultMarker>> {
  const rows = await db.select({ key: settings.key, value: settings.value }).from(settings).where(like(settings.key, `${MARKER_PREFIX}%`));
  const out = new Map<string, TDefaultMarker>();
  for (const r of rows) {
    const [entity, system] = r.key.slice(MARKER_PREFIX.length).split(":");
    if (entity && system) out.set(pairKey(entity, system), r.value as TDefaultMarker);
  }
  return out;
}

/** Still the default Concord made, not (yet) an admin's schedule. */
export const isUneditedDefault = (marker: TDefaultMarker | undefined): boolean => !!marker && !marker.editedAt;

/** The pairs read completely at least once (they have an incremental cursor), by pairKey. */
export async function readCursors(db: Db): Promise<Map<string, Date>> {
  const rows = await db.select().from(syncCursors);
  return new Map(rows.map((r) => [pairKey(r.entity, r.system), r.since]));
}

/**
 * A catch-up never makes the first read of a pair: without a cursor an incremental run reads
 * everything, which on a fresh install would link or create every record unasked (records that existed
 * before the sync are linked by hand first). The first full run is an admin's.
 */
export const NEVER_READ_REASON = "never read completely: a catch-up starts after the first full run of this pair";
