// Seeding: loads documents in a collection's own shape, without validation hooks, stats or webhooks.
import { nowIso } from "./http";
import type { IdGenerator } from "./ids";
import { defaultValue, type CollectionSpec } from "./spec";
import type { Doc, Id, Store } from "./store";
import { INVALID, MESSAGES, typed, ValidationError } from "./validate";

/** Types every field (defaults for missing ones), keeps valid timestamps, checks uniqueness; then stores. */
export function seedDocs(spec: CollectionSpec, store: Store, ids: IdGenerator, records: readonly Doc[]): number {
  const { fields, createdField, updatedField } = spec;
  const entries: Array<{ id: Id; ms: number; doc: Doc }> = new Array(records.length);
  const now = nowIso();
  const nowMs = Date.parse(now);
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (r === null || typeof r !== "object" || Array.isArray(r)) throw new ValidationError({ records: `Record ${i} is not an object` });
    const id = r.id === undefined || r.id === null ? ids.next() : ids.parse(r.id);
    if (id === undefined) throw new ValidationError({ id: `Invalid id at record ${i}` });
    ids.observe(id);
    const doc: Doc = { id };
    for (const f of fields) {
      const v = f.name in r ? typed(f, r[f.name]) : defaultValue(f);
      if (v === INVALID) throw new ValidationError({ [f.name]: `Invalid value at record ${i}` });
      doc[f.name] = v;
    }
    const created = r[createdField];
    const updated = r[updatedField];
    const createdOk = typeof created === "string" && !Number.isNaN(Date.parse(created));
    const updatedMs = typeof updated === "string" ? Date.parse(updated) : NaN;
    doc[createdField] = createdOk ? created : now;
    doc[updatedField] = Number.isNaN(updatedMs) ? doc[createdField] : updated;
    const ms = Number.isNaN(updatedMs) ? (createdOk ? Date.parse(created) : nowMs) : updatedMs;
    entries[i] = { id, ms, doc };
  }
  // uniqueness: within the batch, and against existing docs that the batch does not replace
  const batchIds = store.size ? new Set(entries.map((e) => e.id)) : undefined;
  for (const f of fields) {
    if (!f.unique) continue;
    const seen = new Map<unknown, Id>();
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      const v = e.doc[f.name];
      if (v === null || v === undefined) continue;
      const dup = seen.get(v);
      const existing = batchIds && store.findBy(f.name, v);
      if ((dup !== undefined && dup !== e.id) || (existing && existing.id !== e.id && !batchIds.has(existing.id as Id))) {
        throw new ValidationError({ [f.name]: `${MESSAGES.unique} (record ${i})` });
      }
      seen.set(v, e.id);
    }
  }
  store.bulkPut(entries);
  return entries.length;
}
