import { z } from "zod";

/**
 * Normalisation for echo suppression: what comes back from an external system is compared with
 * what Concord last wrote, so harmless differences must vanish.
 *
 * Rules:
 * - strings are trimmed; numeric strings stay strings unless the field is declared "number";
 * - `undefined` and `null` become null, and an object entry whose value is null is dropped, so
 *   null, undefined and a missing key all mean the same thing;
 * - object keys are sorted; arrays keep their order (null items stay, position matters);
 * - Dates become ISO strings with milliseconds; non-finite numbers become null; -0 becomes 0;
 * - for a "date" field, a date-time string without a zone is read as UTC (never local time).
 */

export const ZFieldKind = z.enum(["string", "number", "boolean", "json", "date"]);
export type TFieldKind = z.infer<typeof ZFieldKind>;
export type TFieldKinds = Record<string, TFieldKind>;

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
const ISO_DATE_START = /^\d{4}-\d{2}-\d{2}/;
const NAIVE_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function normalizeNumber(n: number): number | null {
  if (!Number.isFinite(n)) return null;
  return Object.is(n, -0) ? 0 : n;
}

function normalizeObject(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj).sort()) {
    const v = normalizeValue(obj[key]);
    if (v !== null) out[key] = v;
  }
  return out;
}

/** Normalises any JSON-like value by the rules above, without kind-specific coercion. */
export function normalizeValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v.trim();
  if (typeof v === "number") return normalizeNumber(v);
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "boolean") return v;
  if (typeof v === "function" || typeof v === "symbol") return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (Array.isArray(v)) return v.map((item) => normalizeValue(item));
  if (isPlainObject(v)) return normalizeObject(v);
  const withToJson = v as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === "function") return normalizeValue(withToJson.toJSON());
  return normalizeObject(v as Record<string, unknown>);
}

function toIsoDate(v: unknown): string | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (typeof v === "number") return Number.isFinite(v) ? new Date(v).toISOString() : null;
  if (typeof v === "string") {
    let s = v;
    if (NAIVE_DATE_TIME.test(s)) s = `${s.replace(" ", "T")}Z`; // no zone: read as UTC, not local time
    else if (!ISO_DATE_START.test(s) && !/[a-z]/i.test(s)) return null; // "12" is not a date
    const t = Date.parse(s);
    return Number.isNaN(t) ? null : new Date(t).toISOString();
  }
  return null;
}

/** Coerces one value by its declared kind; a value that cannot be coerced stays as normalised. */
export function normalizeByKind(v: unknown, kind: TFieldKind): unknown {
  const n = normalizeValue(v);
  if (n === null) return null;
  switch (kind) {
    case "string":
      if (typeof n === "number" || typeof n === "boolean") return String(n);
      return n;
    case "number":
      if (typeof n === "string") {
        if (n === "") return null;
        return NUMERIC.test(n) ? normalizeNumber(Number(n)) : n;
      }
      return n;
    case "boolean":
      if (typeof n === "string") {
        const lower = n.toLowerCase();
        if (lower === "true") return true;
        if (lower === "false") return false;
        if (lower === "") return null;
      }
      return n;
    case "date":
      if (typeof n === "string" && n === "") return null;
      return toIsoDate(n) ?? n;
    case "json":
      return n;
  }
}

/**
 * Normalises a record of fields; fields named in `kinds` are coerced by kind (number from a
 * numeric string, boolean from "true"/"false", dates to ISO with milliseconds). Keys are
 * sorted and null entries dropped.
 */
export function normalizeFields(fields: Record<string, unknown>, kinds?: TFieldKinds): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields).sort()) {
    const kind = kinds?.[key];
    const v = kind ? normalizeByKind(fields[key], kind) : normalizeValue(fields[key]);
    if (v !== null) out[key] = v;
  }
  return out;
}

/** JSON with object keys sorted at every depth; undefined entries are left out (as JSON does). */
export function stableStringify(value: unknown): string {
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "bigint") return v.toString();
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      const obj = v as Record<string, unknown>;
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(obj).sort()) sorted[k] = obj[k];
      return sorted;
    }
    return v;
  });
  return json ?? "null";
}
