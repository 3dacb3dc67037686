import { createHash, timingSafeEqual } from "node:crypto";

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

/**
 * Whether `Authorization: Bearer <secret>` carries the cron secret. Compared in constant time on
 * SHA-256 digests (equal length whatever was sent). No secret configured means nothing is accepted.
 */
export function isCronAuthorized(authorization: string | null, secret: string | undefined): boolean {
  if (!secret) return false;
  const m = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? "");
  const given = m?.[1]?.trim() ?? "";
  // Always compare, even when nothing usable was sent, so timing does not tell the cases apart.
  return timingSafeEqual(digest(given), digest(secret)) && given.length > 0;
}
