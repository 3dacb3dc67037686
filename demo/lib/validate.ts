// Field validation shared by every collection.
import type { FieldSpec, FieldType } from "./collection";
import type { Doc, Id, Store } from "./store";

export const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const MESSAGES = {
  required: "This field is required.",
  slug: "Must contain only lowercase letters, digits and single hyphens.",
  unique: "Value must be unique",
} as const;

/** Thrown for invalid input; `fields` maps field name → message. */
export class ValidationError extends Error {
  constructor(readonly fields: Record<string, string>) {
    super(`Validation failed: ${Object.keys(fields).join(", ")}`);
  }
}

export const INVALID = Symbol("invalid");

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
  }
}

/** Validates the known fields present in `input` (unknown fields are dropped); fills `errors`. */
export function checkFields(fields: readonly FieldSpec[], store: Store, input: Doc, errors: Record<string, string>, selfId: Id | undefined): Doc {
  const values: Doc = {};
  for (const f of fields) {
    if (!(f.name in input)) continue;
    const raw = input[f.name];
    const v = typed(f, raw);
    if (v === INVALID) {
      errors[f.name] = f.required && (raw === null || raw === undefined) ? MESSAGES.required : `Must be a ${describe(f.type)}.`;
    } else if (f.required && (typeof v !== "string" || v.trim() === "")) {
      errors[f.name] = MESSAGES.required;
    } else if (f.slug && typeof v === "string" && !SLUG_RE.test(v)) {
      errors[f.name] = MESSAGES.slug;
    } else if (f.unique && (store.findBy(f.name, v)?.id ?? selfId) !== selfId) {
      errors[f.name] = MESSAGES.unique;
    } else {
      values[f.name] = v;
    }
  }
  return values;
}

/** The same errors, keyed in field order. */
export function inFieldOrder(fields: readonly FieldSpec[], errors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) if (errors[f.name] !== undefined) out[f.name] = errors[f.name]!;
  return out;
}

function describe(type: FieldType): string {
  return type === "nullable-string" ? "string or null" : type;
}
