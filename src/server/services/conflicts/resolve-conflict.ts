import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { bindingsOf } from "~/sync/config";
import type { Engine } from "~/server/engine/context";
import { SyncError } from "~/sync/errors";
import { conflicts, records } from "~/server/db/schema";
import type { TActor } from "../actor";
import { enqueueDeliveries } from "../delivery/enqueue";
import { validateCanonical } from "../ingest/apply-change";
import { writeAudit } from "../write-audit";

export const ZResolveConflictInput = z.discriminatedUnion("pick", [
  z.object({ conflictId: z.uuid(), pick: z.enum(["theirs", "ours"]) }),
  z.object({ conflictId: z.uuid(), pick: z.literal("edited"), value: z.unknown() }),
]);
export type TResolveConflictInput = z.infer<typeof ZResolveConflictInput>;

/**
 * Settles an open conflict: the chosen value becomes the record's, the field is released, and every
 * system that carries the field is brought into agreement (the resolution propagates). Audited.
 */
export async function resolveConflict(opts: { engine: Engine; actor: TActor; input: TResolveConflictInput }) {
  const input = ZResolveConflictInput.parse(opts.input);
  const { config } = opts.engine;
  const at = opts.engine.now();
  const result = await opts.engine.db.transaction(async (tx) => {
    const [conflict] = await tx.select().from(conflicts).where(eq(conflicts.id, input.conflictId)).for("update");
    if (!conflict) throw new SyncError("NOT_FOUND", "No such conflict.");
    if (conflict.status !== "open") throw new SyncError("CONFLICT", "This conflict is already resolved.");
    const [record] = await tx.select().from(records).where(eq(records.id, conflict.recordId)).for("update");
    if (!record) throw new SyncError("NOT_FOUND", "The record is gone.");
    const entity = config.entities[record.entity];
    if (!entity) throw new SyncError("NOT_FOUND", `Unknown entity ${record.entity}.`);

    const value = input.pick === "edited" ? input.value : input.pick === "theirs" ? conflict.theirs : conflict.ours;
    const data = validateCanonical(entity, { ...record.data, [conflict.field]: value }, false);
    const held = { ...record.held };
    delete held[conflict.field];
    await tx
      .update(records)
      .set({
        data,
        naturalKey: String(data[entity.naturalKey]),
        held,
        stamps: { ...record.stamps, [conflict.field]: { at: at.toISOString(), by: `admin:${opts.actor.label}` } },
        version: sql`${records.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(eq(records.id, record.id));
    await tx
      .update(conflicts)
      .set({ status: "resolved", resolution: input.pick, resolvedBy: opts.actor.label, resolvedAt: at })
      .where(and(eq(conflicts.id, conflict.id), eq(conflicts.status, "open")));
    const targets = bindingsOf(config, record.entity)
      .filter((b) => b.fields[conflict.field])
      .map((b) => b.system);
    await enqueueDeliveries(tx, { recordId: record.id, entity: record.entity, systems: targets, fields: [conflict.field] });
    const after = { field: conflict.field, value: data[conflict.field], pick: input.pick };
    await writeAudit(tx, { actor: opts.actor, action: "conflicts.resolve", target: `record:${record.id}`, before: { field: conflict.field, theirs: conflict.theirs, ours: conflict.ours }, after });
    return after;
  });
  opts.engine.bus.wake(); // the deliveries just queued go out now
  return result;
}
