// Field validation shared by every collection.
import type { FieldSpec, FieldType } from "./spec";
import type { Doc, Id, Store } from "./store";

export const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const MESSAGES = {
  required: "This field is required.",
  slug: "Must contain only lowercase letters, digits and single hyphens.",
  unique: "Value must be unique",
  missingRef: "Does not exist.",
} as const;

/** Thrown for invalid input; `fields` maps field name → message. */
export class ValidationError extends Error {
  constructor(readonly fields: Record<string, string>) {
    super(`Validation failed: ${Object.keys(fields).join(", ")}`);
  }
}

/** Thrown when a write would break the data's integrity (e.g. deleting a document still referred to): 409. */
export class ConflictError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const INVALID = Symbol("invalid");

const isPlainObject = (v: unknown): v is Doc => v !== null && typeof v === "object" && !Array.isArray(v);

/** The value when it has the field's type, else INVALID. */
export function typed(f: FieldSpec, v: unknown): unknown {
  switch (f.type) {
    case "string":
      return typeof v === "string" ? v : INVALID;
    case "nullable-string":
      return v === null || typeof v === "string" ? v : INVALID;
    case "boolean":
      return typeof v === "boolean" ? v : INVALID;
    case "number":
      return typeof v === "number" && Number.isFinite(v) ? v : INVALID;
    case "nullable-number":
      return v === null || (typeof v === "number" && Number.isFinite(v)) ? v : INVALID;
    case "object":
      return isPlainObject(v) ? v : INVALID;
    case "array":
      return Array.isArray(v) ? v : INVALID;
  }
}

/** One typed field value's error message, or undefined when it is acceptable. */
function fieldError(f: FieldSpec, v: unknown, store: Store, selfId: Id | undefined): string | undefined {
  if (f.required && (v === null || (typeof v === "string" && v.trim() === ""))) return MESSAGES.required;
  if (v === null) return undefined;
  if (f.slug && typeof v === "string" && !SLUG_RE.test(v)) return MESSAGES.slug;
  if (f.enum && !f.enum.includes(v as string)) return `Must be one of ${f.enum.join(", ")}.`;
  const custom = f.check?.(v);
  if (custom) return custom;
  if (f.unique && (store.findBy(f.name, v)?.id ?? selfId) !== selfId) return MESSAGES.unique;
  return undefined;
}

/** Validates the known, non-computed fields present in `input` (other fields are dropped); fills `errors`. */
export function checkFields(fields: readonly FieldSpec[], store: Store, input: Doc, errors: Record<string, string>, selfId: Id | undefined): Doc {
  const values: Doc = {};
  for (const f of fields) {
    if (f.computed || !(f.name in input)) continue;
    const raw = input[f.name];
    const v = typed(f, raw);
    if (v === INVALID) {
      errors[f.name] = f.required && (raw === null || raw === undefined) ? MESSAGES.required : `Must be ${describe(f.type)}.`;
      continue;
    }
    const message = fieldError(f, v, store, selfId);
    if (message) errors[f.name] = message;
    else values[f.name] = v;
  }
  return values;
}

/** The same errors, keyed in field order (fields outside the spec, e.g. refused ones, first). */
export function inFieldOrder(fields: readonly FieldSpec[], errors: Record<string, string>): Record<string, string> {
  const known = new Set(fields.map((f) => f.name));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(errors)) if (!known.has(k)) out[k] = v;
  for (const f of fields) if (errors[f.name] !== undefined) out[f.name] = errors[f.name]!;
  return out;
}

function describe(type: FieldType): string {
  if (type === "nullable-string") return "a string or null";
  if (type === "nullable-number") return "a number or null";
  if (type === "object") return "an object";
  return type === "array" ? "a list" : `a ${type}`;
}
