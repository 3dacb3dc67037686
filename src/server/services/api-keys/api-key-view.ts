import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { TApiKeyRow } from "~/server/db/schema";

/** What a key may do: `read` lists and gets, `write` upserts and deletes records, `run` starts runs. */
export const API_SCOPES = ["read", "write", "run"] as const;
export const ZApiScope = z.enum(API_SCOPES);
export type TApiScope = z.infer<typeof ZApiScope>;

/** What leaves the server about a key: never the key, never its hash. */
export const ZApiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  /** The first characters of the key, to tell keys apart. */
  prefix: z.string(),
  scopes: z.array(ZApiScope),
  createdBy: z.string(),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});
export type TApiKeyView = z.infer<typeof ZApiKeyView>;

export function toApiKeyView(row: TApiKeyRow): TApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes.filter((s): s is TApiScope => (API_SCOPES as readonly string[]).includes(s)),
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}

export const API_KEY_PREFIX = "ck_";
const DISPLAY_CHARS = 10;

/** A new key: `ck_` and 32 random bytes (base64url). Only its hash and its first characters are kept. */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { key, prefix: key.slice(0, DISPLAY_CHARS), hash: hashApiKey(key) };
}

/**
 * SHA-256, hex. The key is 256 random bits, so a fast hash is right (nothing to brute-force), and a key is
 * found by looking its hash up: the secret itself is never compared, so no timing leaks it.
 */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}
