// Request parameter helpers shared by the dialects.
import { ValidationError, type Collection } from "./collection";

/** The token of `Authorization: <scheme> <token>` when the scheme matches (case-insensitive). */
export function authToken(header: string | undefined, scheme: string): string | undefined {
  if (!header) return undefined;
  const prefix = scheme.toLowerCase() + " ";
  if (header.length <= prefix.length || header.slice(0, prefix.length).toLowerCase() !== prefix) return undefined;
  return header.slice(prefix.length).trim();
}

export function bearerAuth(header: string | undefined, apiKey: string): boolean {
  return authToken(header, "Bearer") === apiKey;
}

/** Integer query parameter clamped to [min, max]; missing or malformed → `fallback`. */
export function intParam(raw: string | null, fallback: number, min: number, max: number): number {
  if (raw === null || !/^-?\d+$/.test(raw.trim())) return fallback;
  return Math.min(max, Math.max(min, Number(raw)));
}

/** Epoch ms of an ISO date-time parameter; throws ValidationError(field) when unparseable. */
export function isoParam(raw: string | null, field: string): number | undefined {
  if (raw === null || raw === "") return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new ValidationError({ [field]: "Must be an ISO 8601 date-time." });
  return ms;
}

/** Equality filters `?field=value` for the given fields (values coerced to the field type). */
export function eqParams(col: Collection, query: URLSearchParams, fields: readonly string[]): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const f of fields) {
    const v = query.get(f);
    if (v !== null) out.push([f, col.coerce(f, v)]);
  }
  return out;
}

/** Opaque cursor for (updated ms, id) positions. */
export function encodeCursor(ms: number, id: string | number): string {
  return Buffer.from(JSON.stringify([ms, id])).toString("base64url");
}

export function decodeCursor(cursor: string): { ms: number; id: string | number } | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === "number" && (typeof v[1] === "string" || typeof v[1] === "number")) {
      return { ms: v[0], id: v[1] };
    }
  } catch {
    // fall through
  }
  return undefined;
}
