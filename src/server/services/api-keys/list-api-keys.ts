import { desc } from "drizzle-orm";
import type { Db } from "~/server/db";
import { apiKeys } from "~/server/db/schema";
import { toApiKeyView, type TApiKeyView } from "./api-key-view";

/** Every key, newest first, revoked ones included: name, prefix, scopes, last use. Never the key or its hash. */
export async function listApiKeys({ db }: { db: Db }): Promise<TApiKeyView[]> {
  const rows = await db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  return rows.map(toApiKeyView);
}
