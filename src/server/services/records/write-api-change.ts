import { eq, sql } from "drizzle-orm";
import type { TBinding, TEntity, TSyncConfig } from "~/sync/config";
import { SyncError } from "~/sync/errors";
import { sameValue, type TValues } from "~/sync/mapping";
import { planTargets } from "~/sync/plan";
import type { Db } from "~/server/db";
import { changes, records, type TRecordRow } from "~/server/db/schema";
import { enqueueDeliveries } from "../delivery/enqueue";
import { validateCanonical } from "../ingest/apply-change";
import { findLiveByNaturalKey, lockRecord } from "../ingest/record-store";
import type { TApplyResult } from "../ingest/types";

interface ApiChangeCtx {
  config: TSyncConfig;
  entity: TEntity;
  binding: TBinding;
  values: TValues;
  /** The record to change; otherwise it is found (or made) by the natural key in `values`. */
  id?: string;
  now: Date;
  detail: string;
}

/**
 * A change from an internal tool that no system holds yet: Concord takes it as the newest value (stamped
 * by the origin, now) and plans a delivery to every binding that carries a changed field, the origin
 * included, since nothing was written there. Fields waiting on an open conflict are refused.
 */
export async function writeApiChange(tx: Db, ctx: ApiChangeCtx): Promise<TApplyResult> {
  const { entity, values } = ctx;
  let record: TRecordRow | undefined;
  if (ctx.id) {
    record = await lockRecord(tx, ctx.id);
    if (!record || record.entity !== entity.key) throw new SyncError("NOT_FOUND", `No ${entity.key} with id ${ctx.id}.`, { field: "id" });
    if (record.deletedAt) throw new SyncError("CONFLICT", `This ${entity.key} was deleted; upsert it by ${entity.naturalKey} to create it again.`, { field: "id" });
  } else {
    const key = values[entity.naturalKey];
    if (typeof key !== "string" || !key) {
      throw new SyncError("UNPROCESSABLE", `${entity.key}.${entity.naturalKey} is required to find or create the record (or give its id).`, { field: entity.naturalKey });
    }
    record = await findLiveByNaturalKey(tx, entity.key, key);
  }
  const result = record ? await updateRecord(tx, ctx, record) : await createRecord(tx, ctx);
  await tx.insert(changes).values({
    recordId: result.recordId,
    entity: entity.key,
    system: ctx.binding.system,
    externalId: null,
    kind: record ? "update" : "create",
    outcome: result.outcome,
    fields: result.fields,
    detail: ctx.detail,
    sourceTime: ctx.now,
  });
  return result;
}

async function createRecord(tx: Db, ctx: ApiChangeCtx): Promise<TApplyResult> {
  const { config, entity } = ctx;
  const data = validateCanonical(entity, ctx.values, false);
  const at = ctx.now.toISOString();
  const stamps = Object.fromEntries(Object.keys(data).map((k) => [k, { at, by: ctx.binding.system }]));
  const [row] = await tx.insert(records).values({ entity: entity.key, naturalKey: String(data[entity.naturalKey]), data, stamps }).returning({ id: records.id });
  const fields = Object.keys(data);
  const targets = planTargets({ config, entity: entity.key, origin: null, changedKeys: fields, created: true });
  await enqueueDeliveries(tx, { recordId: row!.id, entity: entity.key, systems: targets, fields });
  return { outcome: "created", recordId: row!.id, fields, targets };
}

async function updateRecord(tx: Db, ctx: ApiChangeCtx, record: TRecordRow): Promise<TApplyResult> {
  const { config, entity } = ctx;
  const changed = Object.keys(ctx.values).filter((k) => !sameValue(ctx.values[k], record.data[k] ?? null));
  if (changed.length === 0) return { outcome: "unchanged", recordId: record.id, fields: [], targets: [] };
  const held = changed.find((k) => record.held[k]);
  if (held) throw new SyncError("CONFLICT", `${entity.key}.${held} waits on an open conflict: resolve it first.`, { field: held });
  const data = validateCanonical(entity, { ...record.data, ...Object.fromEntries(changed.map((k) => [k, ctx.values[k]])) }, false);
  const naturalKey = String(data[entity.naturalKey]);
  if (naturalKey !== record.naturalKey) {
    const taken = await findLiveByNaturalKey(tx, entity.key, naturalKey);
    if (taken) throw new SyncError("CONFLICT", `Another ${entity.key} already has ${entity.naturalKey} "${naturalKey}".`, { field: entity.naturalKey });
  }
  const at = ctx.now.toISOString();
  await tx
    .update(records)
    .set({
      data,
      naturalKey,
      stamps: { ...record.stamps, ...Object.fromEntries(changed.map((k) => [k, { at, by: ctx.binding.system }])) },
      version: sql`${records.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(records.id, record.id));
  const targets = planTargets({ config, entity: entity.key, origin: null, changedKeys: changed });
  await enqueueDeliveries(tx, { recordId: record.id, entity: entity.key, systems: targets, fields: changed });
  return { outcome: "applied", recordId: record.id, fields: changed, targets };
}
