import type { TBinding } from "./config";
import type { TEnvelopeKind } from "./envelope";

/**
 * The top-level fields of a system's document that Concord reads through a binding: its id, its
 * updated-at, every mapped field, its filters and where it keeps other systems' ids. Anything else in
 * a webhook body (a password hash, a system's private notes) is never needed and never stored.
 */
export function retainedFields(binding: TBinding): Set<string> {
  const top = (path: string) => path.split(".")[0]!;
  const kept = new Set<string>([binding.idField]);
  if (binding.updatedAtField) kept.add(top(binding.updatedAtField));
  for (const f of Object.values(binding.fields)) kept.add(top(f.field));
  for (const f of binding.filters) kept.add(top(f.field));
  for (const field of Object.values(binding.storesIdOf)) kept.add(top(field));
  return kept;
}

/** The document with only the fields the binding reads (own properties only). */
export function retainedDoc(binding: TBinding, doc: Record<string, unknown>): Record<string, unknown> {
  const kept = retainedFields(binding);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (kept.has(k)) out[k] = v;
  return out;
}

/**
 * A webhook body as Concord keeps it: the same envelope's own fields (so it reads back the same way; a
 * Payload hook's `previousDoc` is dropped), its document reduced to `retainedDoc`. `binding` null (no binding: the event is ignored) keeps no document at all.
 */
export function retainedBody(kind: TEnvelopeKind, json: Record<string, unknown>, binding: TBinding | null): string {
  const key = kind === "payload-hooks" ? "doc" : "data";
  const envelopeKeys = kind === "payload-hooks" ? ["operation", "collection", "timestamp"] : ["type", "timestamp"];
  const out: Record<string, unknown> = {};
  for (const k of envelopeKeys) if (Object.hasOwn(json, k)) out[k] = json[k];
  const doc = json[key];
  const isDoc = doc !== null && typeof doc === "object" && !Array.isArray(doc);
  out[key] = binding && isDoc ? retainedDoc(binding, doc as Record<string, unknown>) : {};
  return JSON.stringify(out);
}
