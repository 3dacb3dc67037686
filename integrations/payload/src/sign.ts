import { createHmac, randomBytes } from "node:crypto";

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com), self-contained so this folder can be
 * copied into a Payload site: HMAC-SHA256 over `${id}.${timestamp}.${body}`, keyed with the
 * base64-decoded secret (the `whsec_` prefix is optional), sent as `v1,<base64>`.
 */

const SECRET_PREFIX = "whsec_";
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The key bytes of a `whsec_…` (or bare base64) secret; null when it is not usable. */
export function decodeSecret(secret: string): Buffer | null {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!BASE64.test(encoded)) return null;
  const key = Buffer.from(encoded, "base64");
  return key.length > 0 ? key : null;
}

/** `v1,<base64 HMAC-SHA256>` of the exact body bytes. Throws on an unusable secret. */
export function sign(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = decodeSecret(secret);
  if (!key) throw new Error("webhook secret must be base64, optionally prefixed with whsec_");
  const mac = createHmac("sha256", key).update(`${id}.${timestampSeconds}.`, "utf8").update(body, "utf8").digest("base64");
  return `v1,${mac}`;
}

/** The three Standard Webhooks headers for one attempt. */
export function webhookHeaders(secret: string, id: string, timestampSeconds: number, body: string): Record<string, string> {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": sign(secret, id, timestampSeconds, body),
  };
}

/** A new message id, unique per event (and kept across retries, so Concord drops a repeat). */
export function newMessageId(): string {
  return `msg_${randomBytes(16).toString("base64url")}`;
}
