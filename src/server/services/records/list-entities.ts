import { z } from "zod";
import type { TSyncConfig } from "~/sync/config";

export const ZEntityInfo = z.object({ key: z.string(), label: z.string(), naturalKey: z.string(), displayField: z.string() });

/** The entities the configuration declares, in its order (the Records page's picker). */
export function listEntities({ config }: { config: TSyncConfig }): z.infer<typeof ZEntityInfo>[] {
  return Object.values(config.entities).map((e) => ({ key: e.key, label: e.label, naturalKey: e.naturalKey, displayField: e.displayField }));
}
