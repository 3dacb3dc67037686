import { z } from "zod";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { writeAudit } from "../write-audit";
import { settleConflict } from "./settle-conflict";

export const ZResolveConflictInput = z.discriminatedUnion("pick", [
  z.object({ conflictId: z.uuid(), pick: z.enum(["theirs", "ours"]) }),
  z.object({ conflictId: z.uuid(), pick: z.literal("edited"), value: z.unknown() }),
]);
export type TResolveConflictInput = z.infer<typeof ZResolveConflictInput>;

export const ZResolveConflictResult = z.object({ field: z.string(), value: z.unknown(), pick: z.string(), overrode: z.string().nullable() });

/**
 * Settles an open conflict — or reverses what a policy decided, while the field still holds the policy's
 * choice: the chosen value becomes the record's and every system that carries the field is brought into
 * agreement (the resolution propagates). An edited value must fit the entity's canonical schema, else
 * UNPROCESSABLE naming the field and nothing changes. One audit row.
 */
export async function resolveConflict(opts: { engine: Engine; actor: TActor; input: TResolveConflictInput }) {
  const input = ZResolveConflictInput.parse(opts.input);
  const result = await opts.engine.db.transaction(async (tx) => {
    const s = await settleConflict(tx, {
      config: opts.engine.config,
      actor: opts.actor,
      conflictId: input.conflictId,
      pick: input.pick,
      value: input.pick === "edited" ? input.value : undefined,
      at: opts.engine.now(),
      allowOverride: true,
    });
    const after = { field: s.field, value: s.value, pick: s.pick, overrode: s.overrode };
    await writeAudit(tx, {
      actor: opts.actor,
      action: "conflicts.resolve",
      target: `record:${s.recordId}`,
      before: { conflictId: s.conflictId, field: s.field, theirs: s.before.theirs, ours: s.before.ours },
      after: { ...after, superseded: s.superseded },
    });
    return after;
  });
  return result;
}
