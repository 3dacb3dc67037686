import { z } from "zod";
import type { Db } from "~/server/db";
import { apiKeys } from "~/server/db/schema";
import type { TActor } from "../actor";
import { writeAudit } from "../write-audit";
import { generateApiKey, toApiKeyView, ZApiKeyView, ZApiScope } from "./api-key-view";

export const ZCreateApiKeyInput = z.object({
  name: z.string().trim().min(1, "is required").max(100),
  scopes: z
    .array(ZApiScope)
    .min(1, "at least one of read, write, run")
    .transform((s) => [...new Set(s)].sort()),
});

/** The new key, in clear this once: Concord keeps only its hash. */
export const ZCreateApiKeyOutput = z.object({ apiKey: ZApiKeyView, key: z.string() });
export type TCreateApiKeyOutput = z.infer<typeof ZCreateApiKeyOutput>;

/** Creates a key for an internal tool. The key is returned once and never stored, logged or audited. */
export async function createApiKey({ db, actor, input }: { db: Db; actor: TActor; input: z.input<typeof ZCreateApiKeyInput> }): Promise<TCreateApiKeyOutput> {
  const { name, scopes } = ZCreateApiKeyInput.parse(input);
  const { key, prefix, hash } = generateApiKey();
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(apiKeys).values({ name, prefix, hash, scopes, createdBy: actor.label }).returning();
    const apiKey = toApiKeyView(row!);
    await writeAudit(tx, { actor, action: "apiKeys.create", target: `api_key:${apiKey.id}`, after: { name, scopes, prefix } });
    return { apiKey, key };
  });
}
