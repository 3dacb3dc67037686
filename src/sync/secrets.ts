import { createCipheriv, createDecipheriv, randomBytes as nodeRandomBytes } from "node:crypto";
import { SyncError } from "./errors";

/**
 * Secrets at rest (connector API keys, webhook secrets): AES-256-GCM with a random 12-byte IV
 * per encryption. Token format: `v1:<iv b64>:<tag b64>:<ciphertext b64>`.
 */

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const HEX64 = /^[0-9a-fA-F]{64}$/;

export interface TSecretBox {
  encrypt(plain: string): string;
  decrypt(token: string): string;
}

export interface TSecretBoxOptions {
  /** Source of IVs; tests may fake it. */
  randomBytes?: (n: number) => Uint8Array;
}

/** Key material: 32 bytes as base64, or 64 hex characters. The error never echoes the key. */
export function parseSecretKey(keyMaterial: string): Buffer {
  const trimmed = keyMaterial.trim();
  if (HEX64.test(trimmed)) return Buffer.from(trimmed, "hex");
  if (trimmed.length > 0 && BASE64.test(trimmed)) {
    const key = Buffer.from(trimmed, "base64");
    if (key.length === KEY_BYTES) return key;
  }
  throw new SyncError(
    "INTERNAL",
    "secret key must be 32 bytes, encoded as base64 (44 characters) or hex (64 characters)",
  );
}

const undecryptable = (): SyncError => new SyncError("INTERNAL", "secret could not be decrypted");

function decodePart(part: string | undefined, expectedBytes?: number): Buffer {
  if (part === undefined || !BASE64.test(part)) throw undecryptable();
  const bytes = Buffer.from(part, "base64");
  if (expectedBytes !== undefined && bytes.length !== expectedBytes) throw undecryptable();
  return bytes;
}

export function createSecretBox(keyMaterial: string, opts: TSecretBoxOptions = {}): TSecretBox {
  const key = parseSecretKey(keyMaterial);
  const randomBytes = opts.randomBytes ?? nodeRandomBytes;

  return {
    encrypt(plain: string): string {
      const iv = Buffer.from(randomBytes(IV_BYTES));
      if (iv.length !== IV_BYTES) throw new SyncError("INTERNAL", "randomBytes returned the wrong length");
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      const tag = cipher.getAuthTag();
      return ["v1", iv.toString("base64"), tag.toString("base64"), ciphertext.toString("base64")].join(":");
    },

    decrypt(token: string): string {
      const parts = token.split(":");
      if (parts.length !== 4 || parts[0] !== "v1") throw undecryptable();
      const iv = decodePart(parts[1], IV_BYTES);
      const tag = decodePart(parts[2], TAG_BYTES);
      const ciphertext = decodePart(parts[3]);
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
      } catch {
        throw undecryptable();
      }
    },
  };
}

/** Keys whose values never reach an audit row or a log line. */
export const SECRET_KEY_PATTERN = /pass(word)?|secret|token|api[-_]?key|authorization|auth$|cookie|hash|credential/i;
export const REDACTED = "[redacted]";

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function redactInner(value: unknown, seen: WeakSet<object>): unknown {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return new Date(value.getTime());
  const isArray = Array.isArray(value);
  const isError = value instanceof Error;
  if (!isArray && !isError && !isPlainObject(value)) return value;
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  try {
    if (isArray) return value.map((item) => redactInner(item, seen));
    const source = value as Record<string, unknown>;
    const out: Record<string, unknown> = isError ? { name: value.name, message: value.message } : {};
    for (const [key, child] of Object.entries(source)) {
      out[key] =
        SECRET_KEY_PATTERN.test(key) && child !== null && child !== undefined ? REDACTED : redactInner(child, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/**
 * Deep copy of plain objects and arrays (Errors become plain objects) with the value of every
 * key matching SECRET_KEY_PATTERN replaced by "[redacted]". null/undefined values stay as they
 * are, so "not set" stays visible. Other class instances are kept by reference.
 */
export function redactSecrets(value: unknown): unknown {
  return redactInner(value, new WeakSet());
}

/** "••••abcd" (last 4) to show that a secret is set; short secrets show no characters at all. */
export function maskSecret(s: string | null | undefined): string {
  if (!s) return "";
  return s.length >= 12 ? `••••${s.slice(-4)}` : "••••";
}
