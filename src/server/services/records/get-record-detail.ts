import { and, asc, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { bindingsOf, type TEntity, type TSyncConfig } from "~/sync/config";
import { SyncError } from "~/sync/errors";
import type { Db } from "~/server/db";
import { changes, links, records } from "~/server/db/schema";
import { toRecordSummary, ZRecordSummary } from "./record-view";
import { isTombstone } from "../linking/tombstone";

export const ZRecordIdInput = z.object({ id: z.uuid() });

export const ZSystemColumn = z.object({
  system: z.string(),
  name: z.string(),
  /** canonical field → the system's own field name and who may write it there; a field absent stays local to it. */
  fields: z.record(z.string(), z.object({ field: z.string(), direction: z.string() })),
  link: z
    .object({
      externalId: z.string(),
      origin: z.string(),
      lastSyncedAt: z.date().nullable(),
      createdAt: z.date(),
      /** The document was deleted there (the record's delete reached it). */
      removed: z.boolean(),
    })
    .nullable(),
  /** The canonical values Concord and this system last agreed on; null when they never did. */
  lastValues: z.record(z.string(), z.unknown()).nullable(),
});
export type TSystemColumn = z.infer<typeof ZSystemColumn>;

export const ZDeletion = z.object({
  deletedAt: z.date(),
  /** The system the delete came from ("concord" for an admin), when a change row says. */
  by: z.string().nullable(),
  detail: z.string().nullable(),
  /** When the tombstone is pruned and the record can no longer be restored. */
  expiresAt: z.date(),
});

export const ZRecordDetail = z.object({
  record: ZRecordSummary.extend({
    held: z.record(z.string(), z.string()),
    stamps: z.record(z.string(), z.object({ at: z.string(), by: z.string() })),
  }),
  entity: z.object({ key: z.string(), label: z.string(), naturalKey: z.string(), displayField: z.string() }),
  /** The entity's canonical fields, in schema order. */
  fields: z.array(z.string()),
  systems: z.array(ZSystemColumn),
  deletion: ZDeletion.nullable(),
  /** Reference fields (a vessel's company): the parent by name, and the id each system knows it by. */
  references: z
    .record(z.string(), z.object({ recordId: z.string().nullable(), entity: z.string(), name: z.string().nullable(), ids: z.record(z.string(), z.string()) }))
    .default({}),
});
export type TRecordDetail = z.infer<typeof ZRecordDetail>;

const canonicalOnly = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).filter(([k]) => !k.startsWith("@") && !k.startsWith("$")));

/**
 * One record as the record page shows it: Concord's values with their stamps, and per system that
 * holds the entity its field names, its link and the values they last agreed on; for a tombstone,
 * when and from where it was deleted and when the tombstone expires.
 */
export async function getRecordDetail({ db, config, input, tombstoneDays }: { db: Db; config: TSyncConfig; input: z.input<typeof ZRecordIdInput>; tombstoneDays: number }): Promise<TRecordDetail> {
  const { id } = ZRecordIdInput.parse(input);
  const [row] = await db.select().from(records).where(eq(records.id, id)).limit(1);
  const entity = row ? config.entities[row.entity] : undefined;
  if (!row || !entity) throw new SyncError("NOT_FOUND", `No record with id ${id}.`);
  const rowLinks = await db.select().from(links).where(eq(links.recordId, id)).orderBy(asc(links.system));
  const systems = bindingsOf(config, entity.key).map((b): TSystemColumn => {
    const l = rowLinks.find((x) => x.system === b.system);
    const removed = isTombstone(l);
    return {
      system: b.system,
      name: config.systems[b.system]?.name ?? b.system,
      fields: Object.fromEntries(Object.entries(b.fields).map(([k, f]) => [k, { field: f.field, direction: f.direction }])),
      link: l ? { externalId: l.externalId, origin: l.origin, lastSyncedAt: l.lastSyncedAt, createdAt: l.createdAt, removed } : null,
      lastValues: l?.lastValues && !removed ? canonicalOnly(l.lastValues) : null,
    };
  });
  let deletion: TRecordDetail["deletion"] = null;
  if (row.deletedAt) {
    const [change] = await db
      .select({ system: changes.system, detail: changes.detail })
      .from(changes)
      .where(and(eq(changes.recordId, id), eq(changes.kind, "delete"), eq(changes.outcome, "deleted")))
      .orderBy(desc(changes.at), desc(changes.id))
      .limit(1);
    const expiresAt = new Date(row.deletedAt.getTime() + tombstoneDays * 86_400_000);
    deletion = { deletedAt: row.deletedAt, by: change?.system ?? null, detail: change?.detail ?? null, expiresAt };
  }
  return {
    references: await describeReferences(db, config, entity, row.data),
    record: { ...toRecordSummary(entity, row), held: row.held, stamps: row.stamps },
    entity: { key: entity.key, label: entity.label, naturalKey: entity.naturalKey, displayField: entity.displayField },
    fields: Object.keys(entity.schema.shape),
    systems,
    deletion,
  };
}

/** Each reference field's parent: its name (linked on the page) and its own id in every system it is in. */
async function describeReferences(db: Db, config: TSyncConfig, entity: TEntity, data: Record<string, unknown>): Promise<TRecordDetail["references"]> {
  const out: TRecordDetail["references"] = {};
  for (const [field, parentEntity] of Object.entries(entity.references)) {
    const value = data[field];
    if (typeof value !== "string" || !/^[0-9a-f-]{36}$/.test(value)) continue; // empty, or a parent Concord has not met yet (`system:id`)
    const [parent] = await db.select().from(records).where(eq(records.id, value)).limit(1);
    const display = config.entities[parentEntity]?.displayField;
    const name = parent && display ? parent.data[display] : undefined;
    const parentLinks = parent ? await db.select({ system: links.system, externalId: links.externalId }).from(links).where(eq(links.recordId, parent.id)) : [];
    out[field] = {
      recordId: parent ? parent.id : null,
      entity: parentEntity,
      name: name === undefined || name === null ? null : String(name),
      ids: Object.fromEntries(parentLinks.map((l) => [l.system, l.externalId])),
    };
  }
  return out;
}
