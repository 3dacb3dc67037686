import { createHash } from "node:crypto";
import { normalizeFields, normalizeValue, stableStringify, type TFieldKinds } from "./normalize";

export function sha256Hex(input: string | Uint8Array): string {
  return createHash("sha256").update(input).digest("hex");
}

/** Hex SHA-256 of the normalised fields: equal for records echo suppression must treat as equal. */
export function hashFields(fields: Record<string, unknown>, kinds?: TFieldKinds): string {
  return sha256Hex(stableStringify(normalizeFields(fields, kinds)));
}

/** Hex SHA-256 of any normalised value (no kind coercion). */
export function hashValue(value: unknown): string {
  return sha256Hex(stableStringify(normalizeValue(value)));
}
