import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { TEntity } from "~/sync/config";
import type { Db } from "~/server/db";
import { links, type TRecordRow } from "~/server/db/schema";

export const ZEntityKey = z.string().trim().min(1).max(100);

export const ZRecordSummary = z.object({
  id: z.string(),
  entity: z.string(),
  naturalKey: z.string(),
  /** The entity's display field (an industry's name). */
  label: z.string(),
  data: z.record(z.string(), z.unknown()),
  version: z.number(),
  deleted: z.boolean(),
  deletedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type TRecordSummary = z.infer<typeof ZRecordSummary>;

/** Where the record lives: its id in each system, and when Concord last agreed with that system. */
export const ZRecordLink = z.object({ system: z.string(), externalId: z.string(), origin: z.string(), lastSyncedAt: z.date().nullable() });

export const ZRecordView = ZRecordSummary.extend({
  links: z.array(ZRecordLink),
  /** Fields waiting on an open conflict. */
  held: z.array(z.string()),
});
export type TRecordView = z.infer<typeof ZRecordView>;

export function toRecordSummary(entity: TEntity, row: TRecordRow): TRecordSummary {
  return {
    id: row.id,
    entity: row.entity,
    naturalKey: row.naturalKey,
    label: String(row.data[entity.displayField] ?? row.naturalKey),
    data: row.data,
    version: row.version,
    deleted: row.deletedAt !== null,
    deletedAt: row.deletedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The record with its links, read now (after the caller's transaction committed). */
export async function toRecordView(db: Db, entity: TEntity, row: TRecordRow): Promise<TRecordView> {
  const rows = await db.select().from(links).where(eq(links.recordId, row.id)).orderBy(asc(links.system));
  return {
    ...toRecordSummary(entity, row),
    links: rows.map((l) => ({ system: l.system, externalId: l.externalId, origin: l.origin, lastSyncedAt: l.lastSyncedAt })),
    held: Object.keys(row.held),
  };
}
