// How a system describes one collection: its fields, and the few per-collection rules
// (references, write-only secrets, refused inputs, a prepare hook) the shared core enforces.
import type { IdKind } from "./ids";
import type { Doc } from "./store";

export type FieldType = "string" | "boolean" | "number" | "nullable-string" | "nullable-number" | "object" | "array";

export type FieldDefault = string | boolean | number | null | Doc | unknown[];

export interface FieldSpec {
  name: string;
  label: string;
  type: FieldType;
  /** objects and arrays are copied per document */
  default: FieldDefault;
  /** on create (and when present on update): strings non-empty, other types not null */
  required?: boolean;
  /** must match SLUG_RE */
  slug?: boolean;
  /** unique within the collection (indexed); null values never collide */
  unique?: boolean;
  /** allowed string values */
  enum?: readonly string[];
  /** extra check of a typed, non-null value: an error message, or undefined when fine */
  check?: (value: unknown) => string | undefined;
  /**
   * The id of a document in this system's collection of that name: it must exist on create/update
   * (null allowed for nullable types), and a document still referred to cannot be deleted (409).
   */
  ref?: string;
  /** set by the collection itself (e.g. a write-only field's flag); API and UI input is ignored */
  computed?: boolean;
  /** HTML UI: "edit" (default) editable per row, "create" only in the create form, "readonly" shown only, "hidden" never shown */
  ui?: "edit" | "create" | "readonly" | "hidden";
}

/** An input field that is stored only as a hash, outside the document, and never returned. */
export interface WriteOnlySpec {
  /** input field, e.g. "password" */
  name: string;
  /** boolean document field telling whether a value is stored, e.g. "has_password" (declare it `computed`) */
  flag: string;
  minLength?: number;
  hash(value: string): string;
  verify(value: string, stored: string): boolean;
}

export interface CollectionSpec {
  /** URL segment, e.g. "industries" */
  name: string;
  /** webhook event prefix, e.g. "industry" → "industry.created" */
  singular: string;
  idKind: IdKind;
  titleField: string;
  createdField: string;
  updatedField: string;
  fields: FieldSpec[];
  writeOnly?: WriteOnlySpec[];
  /** input fields refused with 422, by name → message (e.g. another system's password hash) */
  refused?: Record<string, string>;
  /** adjusts a validated document just before it is stored (create: previous undefined) */
  prepare?(next: Doc, previous: Doc | undefined): void;
}

/** A field's default, copied when it is an object or array. */
export function defaultValue(f: FieldSpec): unknown {
  return f.default !== null && typeof f.default === "object" ? structuredClone(f.default) : f.default;
}
