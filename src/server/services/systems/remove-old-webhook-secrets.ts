import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { systems } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { getSystemDefOrThrow } from "../connections/get-connection";
import { writeAudit } from "../write-audit";
import { getSystem } from "./get-system";
import { getSystemRow } from "./get-system-row";
import { readStoredWebhookSecrets, ZSystemKey, type TSystemView } from "./system-view";

export const ZRemoveOldWebhookSecretsInput = z.object({ key: ZSystemKey });

/** Ends a rotation: only the newest stored secret verifies from now on. */
export async function removeOldWebhookSecrets({ engine, actor, input }: { engine: Engine; actor: TActor; input: z.input<typeof ZRemoveOldWebhookSecretsInput> }): Promise<TSystemView> {
  const { key } = ZRemoveOldWebhookSecretsInput.parse(input);
  getSystemDefOrThrow(engine, key);
  await engine.db.transaction(async (tx) => {
    const row = await getSystemRow(tx, key, { forUpdate: true });
    const stored = readStoredWebhookSecrets(engine, row);
    const next = stored.slice(0, 1);
    if (next.length !== stored.length) {
      await tx
        .update(systems)
        .set({ webhookSecretsEncrypted: engine.secrets.encrypt(JSON.stringify(next)), updatedAt: sql`now()` })
        .where(eq(systems.key, key));
    }
    await writeAudit(tx, { actor, action: "systems.removeOldWebhookSecrets", target: `system:${key}`, before: { validCount: stored.length }, after: { validCount: next.length } });
  });
  return getSystem({ engine, key });
}
