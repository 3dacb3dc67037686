import { createHmac, randomBytes as nodeRandomBytes, timingSafeEqual } from "node:crypto";
import { SyncError } from "./errors";

/**
 * Standard Webhooks (https://www.standardwebhooks.com) signing and verification.
 * Signed content: `${id}.${timestamp}.` followed by the raw body bytes, HMAC-SHA256,
 * key = base64-decoded secret (the `whsec_` prefix is optional).
 */

const SECRET_PREFIX = "whsec_";
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const DIGEST_BYTES = 32;
/** More entries than this in one signature header is abuse, not rotation. */
const MAX_SIGNATURE_ENTRIES = 20;

export interface TSignWebhookOptions {
  secret: string;
  id: string;
  /** Unix seconds. */
  timestamp: number;
  body: string | Uint8Array;
}

export interface TWebhookHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

export interface TVerifyWebhookOptions {
  /** Several secrets during rotation; any one may match. */
  secrets: string[];
  headers: TWebhookHeaders;
  body: Uint8Array | string;
  /** Current time in milliseconds. */
  now: () => number;
  /** Allowed clock distance in either direction, default 300. */
  toleranceSeconds?: number;
}

export type TWebhookFailureReason =
  | "missing_headers"
  | "invalid_timestamp"
  | "timestamp_out_of_tolerance"
  | "no_usable_secret"
  | "no_matching_signature";

/** A failure never tells the caller which check failed; `reasonForLogs` is for server logs only. */
export type TVerifyWebhookResult = { ok: true } | { ok: false; reasonForLogs: TWebhookFailureReason };

/** Decodes a `whsec_…` (or bare base64) secret to key bytes; null when it is not usable. */
export function decodeWebhookSecret(secret: string): Buffer | null {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!BASE64.test(encoded)) return null;
  const key = Buffer.from(encoded, "base64");
  return key.length > 0 ? key : null;
}

function requireKey(secret: string): Buffer {
  const key = decodeWebhookSecret(secret);
  if (!key) throw new SyncError("INTERNAL", "webhook secret must be base64, optionally prefixed with whsec_");
  return key;
}

function digest(key: Buffer, id: string, timestamp: number | string, body: string | Uint8Array): Buffer {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  return createHmac("sha256", key).update(`${id}.${timestamp}.`, "utf8").update(bytes).digest();
}

/** Returns the `webhook-signature` header value, `v1,<base64>`. Throws on an unusable secret. */
export function signWebhook(opts: TSignWebhookOptions): string {
  if (!Number.isSafeInteger(opts.timestamp) || opts.timestamp < 0) {
    throw new SyncError("INTERNAL", "webhook timestamp must be a non-negative integer (unix seconds)");
  }
  return `v1,${digest(requireKey(opts.secret), opts.id, opts.timestamp, opts.body).toString("base64")}`;
}

/** The three headers of an outgoing webhook delivery. */
export function buildWebhookHeaders(opts: TSignWebhookOptions): {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
} {
  return {
    "webhook-id": opts.id,
    "webhook-timestamp": String(opts.timestamp),
    "webhook-signature": signWebhook(opts),
  };
}

/** The base64 digests of the `v1` entries of a signature header; other versions are ignored. */
function v1Digests(header: string): Buffer[] {
  const out: Buffer[] = [];
  const entries = header.split(" ").filter((e) => e.length > 0).slice(0, MAX_SIGNATURE_ENTRIES);
  for (const entry of entries) {
    const comma = entry.indexOf(",");
    if (comma < 0 || entry.slice(0, comma) !== "v1") continue;
    const encoded = entry.slice(comma + 1);
    if (!BASE64.test(encoded)) continue;
    const decoded = Buffer.from(encoded, "base64");
    if (decoded.length === DIGEST_BYTES) out.push(decoded);
  }
  return out;
}

export function verifyWebhook(opts: TVerifyWebhookOptions): TVerifyWebhookResult {
  const { id, timestamp, signature } = opts.headers;
  if (!id || !timestamp || !signature) return { ok: false, reasonForLogs: "missing_headers" };
  if (!/^\d{1,15}$/.test(timestamp)) return { ok: false, reasonForLogs: "invalid_timestamp" };

  const tolerance = opts.toleranceSeconds ?? 300;
  const nowSeconds = Math.floor(opts.now() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) {
    return { ok: false, reasonForLogs: "timestamp_out_of_tolerance" };
  }

  const keys = opts.secrets.map(decodeWebhookSecret).filter((k): k is Buffer => k !== null);
  if (keys.length === 0) return { ok: false, reasonForLogs: "no_usable_secret" };

  const candidates = v1Digests(signature);
  let matched = false;
  for (const key of keys) {
    const expected = digest(key, id, timestamp, opts.body);
    for (const candidate of candidates) {
      // Both are 32 bytes (checked in v1Digests), as timingSafeEqual requires.
      if (timingSafeEqual(expected, candidate)) matched = true;
    }
  }
  return matched ? { ok: true } : { ok: false, reasonForLogs: "no_matching_signature" };
}

/** A new random secret, `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(randomBytes: (n: number) => Uint8Array = nodeRandomBytes): string {
  const bytes = randomBytes(32);
  if (bytes.length !== 32) throw new SyncError("INTERNAL", "randomBytes must return the number of bytes asked for");
  return `${SECRET_PREFIX}${Buffer.from(bytes).toString("base64")}`;
}
