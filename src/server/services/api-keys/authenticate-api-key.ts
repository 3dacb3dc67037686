import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Db } from "~/server/db";
import { apiKeys } from "~/server/db/schema";
import { API_KEY_PREFIX, hashApiKey, toApiKeyView, type TApiScope } from "./api-key-view";

/** Last use is written at most this often per key, so a busy tool does not cost a write per call. */
export const LAST_USED_EVERY_MS = 60_000;

export interface TApiKeyCaller {
  id: string;
  name: string;
  scopes: TApiScope[];
}

/**
 * The key behind a Bearer credential, or null when it is unknown or revoked. The key is found by its
 * SHA-256 (an index lookup on equal hashes), so the secret is never compared character by character.
 */
export async function authenticateApiKey({ db, key, now }: { db: Db; key: string; now: Date }): Promise<TApiKeyCaller | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.hash, hashApiKey(key))).limit(1);
  if (!row || row.revokedAt) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) {
    const staleBefore = new Date(now.getTime() - LAST_USED_EVERY_MS);
    await db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore))));
  }
  const view = toApiKeyView(row);
  return { id: view.id, name: view.name, scopes: view.scopes };
}
