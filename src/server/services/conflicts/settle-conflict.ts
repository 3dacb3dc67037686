import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { bindingsOf, type TSyncConfig } from "~/sync/config";
import { SyncError } from "~/sync/errors";
import { sameValue } from "~/sync/mapping";
import type { Db } from "~/server/db";
import { conflicts, records, type TConflictRow } from "~/server/db/schema";
import type { TActor } from "../actor";
import { enqueueDeliveries } from "../delivery/enqueue";
import { validateCanonical } from "../ingest/apply-change";

export type TPick = "theirs" | "ours" | "edited";

export interface TSettled {
  conflictId: string;
  recordId: string;
  field: string;
  pick: TPick;
  /** The value the field holds now, sent to every system that carries it. */
  value: unknown;
  /** The policy whose decision an admin reversed (`policy:lww`), or null for an open conflict. */
  overrode: string | null;
  /** Other open conflicts on the same field, settled by this decision. */
  superseded: string[];
  before: { theirs: unknown; ours: unknown; base: unknown };
}

const decidedByPolicy = (c: TConflictRow) => c.status === "resolved" && (c.resolvedBy ?? "").startsWith("policy:");

/** The conflict, locked; NOT_FOUND when missing, CONFLICT when it cannot be decided (again). */
async function lockConflict(tx: Db, conflictId: string, allowOverride: boolean): Promise<TConflictRow> {
  const [conflict] = await tx.select().from(conflicts).where(eq(conflicts.id, conflictId)).for("update");
  if (!conflict) throw new SyncError("NOT_FOUND", "No such conflict.", { field: "conflictId" });
  if (conflict.status === "open") return conflict;
  if (allowOverride && decidedByPolicy(conflict)) return conflict;
  throw new SyncError("CONFLICT", "This conflict is already resolved.", { field: "conflictId" });
}

/**
 * Decides one conflict inside the caller's transaction: the chosen value becomes the record's (checked
 * against the entity's canonical schema), the field is released, other open conflicts on the same field
 * are settled by the same decision, and every system carrying the field gets a delivery. A conflict a
 * policy decided may be decided again by an admin, as long as the field still holds the policy's choice.
 * The caller writes the audit row and wakes the workers.
 */
export async function settleConflict(
  tx: Db,
  opts: { config: TSyncConfig; actor: TActor; conflictId: string; pick: TPick; value?: unknown; at: Date; allowOverride?: boolean },
): Promise<TSettled> {
  const conflict = await lockConflict(tx, opts.conflictId, opts.allowOverride ?? false);
  const [record] = await tx.select().from(records).where(eq(records.id, conflict.recordId)).for("update");
  if (!record || record.deletedAt) throw new SyncError("NOT_FOUND", "The record of this conflict is gone or deleted.", { field: "conflictId" });
  const entity = opts.config.entities[record.entity];
  if (!entity) throw new SyncError("NOT_FOUND", `Unknown entity ${record.entity}.`);
  const field = conflict.field;

  const overrode = conflict.status === "open" ? null : conflict.resolvedBy;
  if (overrode) {
    const chosen = conflict.resolution === "theirs" ? conflict.theirs : conflict.ours;
    if (opts.pick === conflict.resolution) throw new SyncError("CONFLICT", `The policy already kept ${opts.pick} for ${field}.`, { field: "pick" });
    if (record.held[field]) throw new SyncError("CONFLICT", `${field} has an open conflict: resolve that one instead.`, { field: "conflictId" });
    if (!sameValue(record.data[field] ?? null, chosen ?? null)) {
      throw new SyncError("CONFLICT", `${field} has changed since the policy decided this conflict, so its decision no longer stands. Nothing was changed.`, { field: "conflictId" });
    }
  }

  const value = opts.pick === "edited" ? opts.value : opts.pick === "theirs" ? conflict.theirs : conflict.ours;
  const data = validateCanonical(entity, { ...record.data, [field]: value }, false);
  const naturalKey = String(data[entity.naturalKey]);
  if (naturalKey !== record.naturalKey) {
    const [taken] = await tx
      .select({ id: records.id })
      .from(records)
      .where(and(eq(records.entity, entity.key), eq(records.naturalKey, naturalKey), isNull(records.deletedAt), ne(records.id, record.id)))
      .limit(1);
    if (taken) throw new SyncError("CONFLICT", `${entity.key}.${entity.naturalKey} "${naturalKey}" is already used by another record.`, { field: entity.naturalKey });
  }

  const held = { ...record.held };
  delete held[field];
  await tx
    .update(records)
    .set({
      data,
      naturalKey,
      held,
      stamps: { ...record.stamps, [field]: { at: opts.at.toISOString(), by: `admin:${opts.actor.label}` } },
      version: sql`${records.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(records.id, record.id));
  await tx
    .update(conflicts)
    .set({ status: "resolved", resolution: opts.pick, resolvedBy: opts.actor.label, resolvedAt: opts.at })
    .where(eq(conflicts.id, conflict.id));
  const superseded = await tx
    .update(conflicts)
    .set({ status: "resolved", resolution: "superseded", resolvedBy: opts.actor.label, resolvedAt: opts.at })
    .where(and(eq(conflicts.recordId, record.id), eq(conflicts.field, field), eq(conflicts.status, "open"), ne(conflicts.id, conflict.id)))
    .returning({ id: conflicts.id });

  const targets = bindingsOf(opts.config, record.entity)
    .filter((b) => b.fields[field])
    .map((b) => b.system);
  await enqueueDeliveries(tx, { recordId: record.id, entity: record.entity, systems: targets, fields: [field] });
  return {
    conflictId: conflict.id,
    recordId: record.id,
    field,
    pick: opts.pick,
    value: data[field] ?? null,
    overrode,
    superseded: superseded.map((s) => s.id),
    before: { theirs: conflict.theirs, ours: conflict.ours, base: conflict.base },
  };
}
