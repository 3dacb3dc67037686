import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { TEntity, TSyncConfig } from "~/sync/config";
import { SyncError } from "~/sync/errors";
import type { Db } from "~/server/db";
import { links, records, type TRecordRow } from "~/server/db/schema";
import { ZEntityKey } from "./record-view";

/** A record named by Concord's id, by its natural key (an industry's slug), or by one system's id for it. */
export const ZRecordRef = z.union([
  z.object({ entity: ZEntityKey, id: z.uuid() }),
  z.object({ entity: ZEntityKey, naturalKey: z.string().trim().min(1).max(500) }),
  z.object({ entity: ZEntityKey, system: z.string().trim().min(1).max(100), externalId: z.string().trim().min(1).max(500) }),
]);
export type TRecordRef = z.infer<typeof ZRecordRef>;

export function entityOrThrow(config: TSyncConfig, key: string): TEntity {
  const entity = config.entities[key];
  if (!entity) throw new SyncError("NOT_FOUND", `Unknown entity "${key}".`, { field: "entity" });
  return entity;
}

/**
 * Finds a record; `forUpdate` locks it for the caller's transaction. By natural key a live record wins,
 * else (unless `liveOnly`) the most recently deleted one, so a tombstone can still be looked at.
 */
export async function findRecord(db: Db, opts: { entity: TEntity; ref: TRecordRef; forUpdate?: boolean; liveOnly?: boolean }): Promise<TRecordRow> {
  const { entity, ref } = opts;
  const lock = <Q extends { for: (s: "update") => Q }>(q: Q) => (opts.forUpdate ? q.for("update") : q);
  let row: TRecordRow | undefined;
  let what: string;
  if ("id" in ref) {
    what = `id ${ref.id}`;
    [row] = await lock(db.select().from(records).where(and(eq(records.entity, entity.key), eq(records.id, ref.id))).limit(1).$dynamic());
  } else if ("naturalKey" in ref) {
    what = `${entity.naturalKey} "${ref.naturalKey}"`;
    const byKey = and(eq(records.entity, entity.key), eq(records.naturalKey, ref.naturalKey), opts.liveOnly ? isNull(records.deletedAt) : undefined);
    [row] = await lock(db.select().from(records).where(byKey).orderBy(desc(isNull(records.deletedAt)), desc(records.deletedAt)).limit(1).$dynamic());
  } else {
    what = `${ref.system} id "${ref.externalId}"`;
    const [link] = await db
      .select({ recordId: links.recordId })
      .from(links)
      .where(and(eq(links.entity, entity.key), eq(links.system, ref.system), eq(links.externalId, ref.externalId)))
      .limit(1);
    if (link) [row] = await lock(db.select().from(records).where(eq(records.id, link.recordId)).limit(1).$dynamic());
  }
  if (!row || (opts.liveOnly && row.deletedAt)) {
    throw new SyncError("NOT_FOUND", `No ${opts.liveOnly ? "live " : ""}${entity.label.toLowerCase()} with ${what}.`);
  }
  return row;
}
