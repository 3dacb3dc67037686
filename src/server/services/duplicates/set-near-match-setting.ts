import { z } from "zod";
import { bindingFor } from "~/sync/config";
import { SyncError } from "~/sync/errors";
import { settings } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { writeAudit } from "../write-audit";
import { nearMatchKey, nearMatchSetting, ZSetNearMatchInput, type TNearMatchSetting } from "./near-match-settings";

/** Per binding: whether full runs hold near-match creates for review, and from which score. Audited. */
export async function setNearMatchSetting({ engine, actor, input }: { engine: Engine; actor: TActor; input: z.input<typeof ZSetNearMatchInput> }): Promise<TNearMatchSetting> {
  const { entity, system, hold, minScore } = ZSetNearMatchInput.parse(input);
  const binding = bindingFor(engine.config, entity, system);
  if (!binding) throw new SyncError("NOT_FOUND", `${entity} records do not live in ${system}.`, { field: "system" });
  const value = { hold, minScore };
  await engine.db.transaction(async (tx) => {
    const before = await nearMatchSetting(tx, binding);
    await tx.insert(settings).values({ key: nearMatchKey(entity, system), value }).onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date() } });
    await writeAudit(tx, { actor, action: "duplicates.setHold", target: `binding:${entity}:${system}`, before, after: value });
  });
  return value;
}

/** The setting in force for one binding; NOT_FOUND when the entity does not live in that system. */
export async function getNearMatchSetting({ engine, input }: { engine: Engine; input: { entity: string; system: string } }): Promise<TNearMatchSetting> {
  const binding = bindingFor(engine.config, input.entity, input.system);
  if (!binding) throw new SyncError("NOT_FOUND", `${input.entity} records do not live in ${input.system}.`, { field: "system" });
  return nearMatchSetting(engine.db, binding);
}
