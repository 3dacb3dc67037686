import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { generateWebhookSecret } from "~/sync/signature";
import { systems } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { getSystemDefOrThrow } from "../connections/get-connection";
import { writeAudit } from "../write-audit";
import { getSystem } from "./get-system";
import { getSystemRow } from "./get-system-row";
import { readStoredWebhookSecrets, ZSystemKey, ZSystemView, type TSystemView } from "./system-view";

/** At most this many stored secrets verify at once: the new one and the one before it. */
export const MAX_WEBHOOK_SECRETS = 2;

export const ZRotateWebhookSecretInput = z.object({ key: ZSystemKey });
export const ZRotateWebhookSecretOutput = z.object({
  system: ZSystemView,
  /** The new secret, shown this once so the admin can paste it into the other system. Never stored in clear. */
  secret: z.string(),
});

/**
 * Generates a new `whsec_…` secret, newest first, and keeps the previous one valid too, so webhooks the
 * other system signs with the old secret keep arriving until it is switched over.
 */
export async function rotateWebhookSecret({ engine, actor, input }: { engine: Engine; actor: TActor; input: z.input<typeof ZRotateWebhookSecretInput> }): Promise<z.infer<typeof ZRotateWebhookSecretOutput>> {
  const { key } = ZRotateWebhookSecretInput.parse(input);
  getSystemDefOrThrow(engine, key);
  const secret = generateWebhookSecret();
  await engine.db.transaction(async (tx) => {
    const row = await getSystemRow(tx, key, { forUpdate: true });
    let stored: string[] = [];
    try {
      stored = readStoredWebhookSecrets(engine, row);
    } catch {
      stored = []; // unreadable (the encryption key changed): they could not verify anything anyway
    }
    const next = [secret, ...stored].slice(0, MAX_WEBHOOK_SECRETS);
    await tx
      .update(systems)
      .set({ webhookSecretsEncrypted: engine.secrets.encrypt(JSON.stringify(next)), updatedAt: sql`now()` })
      .where(eq(systems.key, key));
    await writeAudit(tx, { actor, action: "systems.rotateWebhookSecret", target: `system:${key}`, before: { validCount: stored.length }, after: { validCount: next.length, value: "[new, shown once]" } });
  });
  const system: TSystemView = await getSystem({ engine, key });
  return { system, secret };
}
