import type { TBinding, TEntity, TFieldBinding } from "./config/types";
import { mayWrite } from "./config/validate";
import type { TDoc } from "./connectors/types";
import { normalizeByKind, normalizeValue, type TFieldKinds } from "./normalize";
import { transforms } from "./transforms";

/** Canonical values keyed by field; `@<system>` keys carry another system's id (the seed's cms_id). */
export type TValues = Record<string, unknown>;

export const idKey = (system: string) => `@${system}`;
export const isIdKey = (key: string) => key.startsWith("@");

/**
 * The values a system may set in Concord from its document: the fields its binding lets it write (mayWrite: it owns or
 * shares them), never another system's id. The one rule for what a source's create or change may carry.
 */
export function writableValues(binding: Pick<TBinding, "fields">, values: TValues): TValues {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !isIdKey(k) && mayWrite(binding, k)));
}

export interface TMappedDoc {
  externalId: string | null;
  /** Normalised canonical values of the fields present in the document. */
  values: TValues;
  /** The document's own updated-at, when the binding names one and it parses. */
  sourceTime: Date | null;
  /** Whether the document passes the binding's filters (e.g. only approved). */
  included: boolean;
}

export function readPath(doc: TDoc, field: string): unknown {
  if (!field.includes(".")) return doc[field];
  return field.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as TDoc)[k] : undefined), doc);
}

/** The document's own version: its updated-at, when the binding names one and it parses. */
export function docTime(binding: TBinding, doc: TDoc): Date | null {
  const raw = binding.updatedAtField ? readPath(doc, binding.updatedAtField) : undefined;
  const time = typeof raw === "string" || typeof raw === "number" ? new Date(raw) : null;
  return time && !Number.isNaN(time.getTime()) ? time : null;
}

/** System document → canonical values, through the binding's field map and transforms. */
export function mapIn(binding: TBinding, entity: TEntity, doc: TDoc): TMappedDoc {
  const values: TValues = {};
  for (const [canonical, fb] of Object.entries(binding.fields) as [string, TFieldBinding][]) {
    const raw = readPath(doc, fb.field);
    if (raw === undefined) continue; // not reported ≠ cleared
    const value = transforms[fb.transform].in(raw);
    // An unmapped value stays as it is: the canonical schema then names the field as invalid.
    values[canonical] = fb.table && typeof value === "string" && value in fb.table ? fb.table[value] : value;
  }
  for (const [system, field] of Object.entries(binding.storesIdOf)) {
    const raw = readPath(doc, field);
    if (raw !== undefined) values[idKey(system)] = raw === null || raw === "" ? null : String(raw);
  }
  const rawId = readPath(doc, binding.idField);
  const included = binding.filters.every((f) => normalizeValue(readPath(doc, f.field)) === normalizeValue(f.equals));
  return {
    externalId: rawId === undefined || rawId === null ? null : String(rawId),
    values: normalizePresent(values, entity.kinds),
    sourceTime: docTime(binding, doc),
    included,
  };
}

/**
 * Canonical values → the body to send to a system, for the given fields (canonical names and
 * `@system` id keys). Returns the body and the normalised canonical values it carries.
 */
export function mapOut(binding: TBinding, entity: TEntity, values: TValues, fields: Iterable<string>): { body: TDoc; sent: TValues } {
  const body: TDoc = {};
  const sent: TValues = {};
  for (const key of fields) {
    if (isIdKey(key)) {
      const target = binding.storesIdOf[key.slice(1)];
      if (!target) continue;
      body[target] = values[key] ?? null;
      sent[key] = values[key] ?? null;
      continue;
    }
    const fb = binding.fields[key] as TFieldBinding | undefined;
    if (!fb) continue;
    const value = values[key] ?? null;
    const unmapped = fb.table ? Object.entries(fb.table).find(([, to]) => to === value)?.[0] : undefined;
    body[fb.field] = transforms[fb.transform].out(unmapped ?? value);
    sent[key] = values[key] ?? null;
  }
  return { body, sent: normalizePresent(sent, entity.kinds) };
}

/** Normalises each present value by its kind, keeping explicit nulls (a cleared field is a change). */
export function normalizePresent(values: TValues, kinds: TFieldKinds): TValues {
  const out: TValues = {};
  for (const key of Object.keys(values).sort()) {
    const kind = kinds[key];
    out[key] = kind ? normalizeByKind(values[key], kind) : normalizeValue(values[key]);
  }
  return out;
}

/** Every key a binding carries: its mapped canonical fields and the other systems' ids it stores. */
export function bindingKeys(binding: TBinding): string[] {
  return [...Object.keys(binding.fields), ...Object.keys(binding.storesIdOf).map(idKey)];
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalizeValue(a)) === JSON.stringify(normalizeValue(b));
}
