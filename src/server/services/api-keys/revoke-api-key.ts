import { eq } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import type { Db } from "~/server/db";
import { apiKeys } from "~/server/db/schema";
import type { TActor } from "../actor";
import { writeAudit } from "../write-audit";
import { toApiKeyView, type TApiKeyView } from "./api-key-view";

export const ZRevokeApiKeyInput = z.object({ id: z.uuid() });

/** Revokes a key for good: from now on a call with it is UNAUTHORIZED. */
export async function revokeApiKey({ db, actor, input, now = new Date() }: { db: Db; actor: TActor; input: z.input<typeof ZRevokeApiKeyInput>; now?: Date }): Promise<TApiKeyView> {
  const { id } = ZRevokeApiKeyInput.parse(input);
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(apiKeys).where(eq(apiKeys.id, id)).for("update");
    if (!row) throw new SyncError("NOT_FOUND", "No such API key.", { field: "id" });
    if (row.revokedAt) throw new SyncError("CONFLICT", `The API key "${row.name}" was already revoked on ${row.revokedAt.toISOString()}.`);
    const [done] = await tx.update(apiKeys).set({ revokedAt: now }).where(eq(apiKeys.id, id)).returning();
    const view = toApiKeyView(done!);
    await writeAudit(tx, { actor, action: "apiKeys.revoke", target: `api_key:${id}`, before: { name: row.name, revokedAt: null }, after: { name: row.name, revokedAt: view.revokedAt } });
    return view;
  });
}
