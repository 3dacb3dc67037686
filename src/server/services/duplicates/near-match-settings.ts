import { eq } from "drizzle-orm";
import { z } from "zod";
import type { TBinding } from "~/sync/config";
import type { Db } from "~/server/db";
import { settings } from "~/server/db/schema";

export const ZNearMatchSetting = z.object({ hold: z.boolean(), minScore: z.number().min(0.5).max(0.99) });
export type TNearMatchSetting = z.infer<typeof ZNearMatchSetting>;

export const nearMatchKey = (entity: string, system: string) => `nearMatches.${entity}:${system}`;

/** Whether full runs hold near-matches bound for this binding, and from which score: the admin's setting, else the binding's. */
export async function nearMatchSetting(db: Db, binding: TBinding): Promise<TNearMatchSetting> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, nearMatchKey(binding.entity, binding.system))).limit(1);
  const parsed = ZNearMatchSetting.safeParse(row?.value);
  return parsed.success ? parsed.data : binding.nearMatches;
}

export const ZSetNearMatchInput = z.object({ entity: z.string().min(1), system: z.string().min(1) }).extend(ZNearMatchSetting.shape);
