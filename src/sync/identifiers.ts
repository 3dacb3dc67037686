import { createHash } from "node:crypto";

/**
 * IMO ship identification number: seven digits, the last a check digit —
 * (d1·7 + d2·6 + d3·5 + d4·4 + d5·3 + d6·2) mod 10 = d7. Accepts "IMO 9074729" as well as "9074729".
 */
export function imoProblem(value: string): string | null {
  const digits = value.replace(/^IMO\s*/i, "");
  if (!/^\d{7}$/.test(digits)) return "must be seven digits";
  const sum = [...digits.slice(0, 6)].reduce((acc, d, i) => acc + Number(d) * (7 - i), 0);
  return sum % 10 === Number(digits[6]) ? null : `has a wrong check digit (expected ${sum % 10})`;
}

/** The canonical form of an IMO number: its seven digits. */
export const normalizeImo = (value: string) => value.trim().replace(/^IMO\s*/i, "");

/**
 * A QR code for a document that has none: stable for the same document (the same system and id give the
 * same code on every run) and unique in practice (48 bits of SHA-256 over the pair).
 */
export function generatedQrCode(system: string, externalId: string): string {
  const digest = createHash("sha256").update(`${system}:${externalId}`).digest("hex");
  return `QR-${digest.slice(0, 12).toUpperCase()}`;
}

/**
 * A reference Concord could not yet translate to a record (the parent has not reached Concord): kept as
 * `<system>:<id>` until the parent arrives. Resolved references are Concord record ids (UUIDs).
 */
export const pendingRef = (system: string, externalId: string) => `${system}:${externalId}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isRecordId = (v: unknown): v is string => typeof v === "string" && UUID.test(v);

export function parsePendingRef(v: string): { system: string; externalId: string } | null {
  const at = v.indexOf(":");
  return at > 0 ? { system: v.slice(0, at), externalId: v.slice(at + 1) } : null;
}
