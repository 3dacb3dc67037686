import type { TTransformName } from "./config/types";

/** A named, reversible value conversion between a system's field and the canonical field. */
interface Transform {
  in(v: unknown): unknown;
  out(v: unknown): unknown;
}

const TRUE = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off", ""]);

function toBoolean(v: unknown): unknown {
  if (typeof v === "boolean" || v === null || v === undefined) return v;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "string") {
    const s = v.trim().toLowerCase();
    if (TRUE.has(s)) return true;
    if (FALSE.has(s)) return false;
  }
  return v;
}

function toNumber(v: unknown): unknown {
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return v;
}

export const transforms: Record<TTransformName, Transform> = {
  identity: { in: (v) => v, out: (v) => v },
  string: { in: (v) => (v === null || v === undefined ? v : String(v)), out: (v) => (v === null || v === undefined ? v : String(v)) },
  boolean: { in: toBoolean, out: toBoolean },
  number: { in: toNumber, out: toNumber },
  /** The system stores "" where Concord means "no value". */
  nullIfEmpty: { in: (v) => (typeof v === "string" && v.trim() === "" ? null : v), out: (v) => (v === null || v === undefined ? "" : v) },
};
