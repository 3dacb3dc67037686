// A collection: field schema, validation, ids, timestamps and the store.
// Dialect-neutral: systems describe their fields with a CollectionSpec and
// format the results / errors in their own REST dialect.
import { IdGenerator, type IdKind } from "./ids";
import { nowIso } from "./http";
import { Store, type Doc, type Id, type Position } from "./store";
import { checkFields, INVALID, inFieldOrder, MESSAGES, typed, ValidationError } from "./validate";

export type { Doc, Id, Position } from "./store";
export { MESSAGES, SLUG_RE, ValidationError } from "./validate";

export type FieldType = "string" | "boolean" | "number" | "nullable-string";

export interface FieldSpec {
  name: string;
  label: string;
  type: FieldType;
  default: string | boolean | number | null;
  /** non-empty string required on create (and when present on update) */
  required?: boolean;
  /** must match SLUG_RE */
  slug?: boolean;
  /** unique within the collection (indexed) */
  unique?: boolean;
  /** HTML UI: "edit" (default) editable per row, "create" only in the create form, "readonly" shown only */
  ui?: "edit" | "create" | "readonly";
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
}

export class NotFoundError extends Error {
  constructor() {
    super("Not found");
  }
}

export type ChangeType = "created" | "updated" | "deleted";

export interface ListQuery {
  /** only docs updated strictly after this epoch ms */
  since?: number;
  /** only docs strictly after this (updated ms, id) position (cursor paging) */
  after?: Position;
  /** equality filters on stored values */
  eq?: Array<[string, unknown]>;
  /** any other predicates */
  where?: Array<(doc: Doc) => boolean>;
  offset?: number;
  limit: number;
}

export interface ListResult {
  items: Doc[];
  total: number;
  hasMore: boolean;
}

export class Collection {
  readonly store: Store;
  readonly ids: IdGenerator;
  readonly fieldMap: ReadonlyMap<string, FieldSpec>;
  /** called after every successful create/update/delete (not for seeding) */
  onChange: ((type: ChangeType, doc: Doc, collection: Collection) => void) | undefined;

  constructor(readonly spec: CollectionSpec) {
    this.store = new Store(spec.fields.filter((f) => f.unique).map((f) => f.name));
    this.ids = new IdGenerator(spec.idKind);
    this.fieldMap = new Map(spec.fields.map((f) => [f.name, f]));
  }

  get name(): string {
    return this.spec.name;
  }

  get size(): number {
    return this.store.size;
  }

  parseId(raw: unknown): Id | undefined {
    return this.ids.parse(raw);
  }

  get(id: Id): Doc | undefined {
    return this.store.get(id);
  }

  all(): Doc[] {
    return this.store.docs();
  }

  updatedMs(doc: Doc): number {
    return Date.parse(String(doc[this.spec.updatedField]));
  }

  create(input: Doc): Doc {
    const errors: Record<string, string> = {};
    const values = checkFields(this.spec.fields, this.store, input, errors, undefined);
    for (const f of this.spec.fields) {
      if (f.required && !(f.name in values) && !errors[f.name]) errors[f.name] = MESSAGES.required;
    }
    if (Object.keys(errors).length) throw new ValidationError(inFieldOrder(this.spec.fields, errors));
    const now = nowIso();
    const id = this.ids.next();
    const doc: Doc = { id };
    for (const f of this.spec.fields) doc[f.name] = f.name in values ? values[f.name] : f.default;
    doc[this.spec.createdField] = now;
    doc[this.spec.updatedField] = now;
    this.store.put(id, Date.parse(now), doc);
    this.onChange?.("created", doc, this);
    return doc;
  }

  update(id: Id, patch: Doc): Doc {
    const old = this.store.get(id);
    if (!old) throw new NotFoundError();
    const errors: Record<string, string> = {};
    const values = checkFields(this.spec.fields, this.store, patch, errors, id);
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const now = nowIso();
    const doc: Doc = { ...old, ...values, [this.spec.updatedField]: now };
    this.store.put(id, Date.parse(now), doc);
    this.onChange?.("updated", doc, this);
    return doc;
  }

  remove(id: Id): Doc {
    const old = this.store.delete(id);
    if (!old) throw new NotFoundError();
    this.onChange?.("deleted", old, this);
    return old;
  }

  reset(): void {
    this.store.clear();
    this.ids.reset();
  }

  /** Loads docs in this collection's own shape (ids assigned when missing). No hooks, no stats. */
  seed(records: readonly Doc[]): number {
    const { fields, createdField, updatedField } = this.spec;
    const entries: Array<{ id: Id; ms: number; doc: Doc }> = new Array(records.length);
    const now = nowIso();
    const nowMs = Date.parse(now);
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      if (r === null || typeof r !== "object" || Array.isArray(r)) throw new ValidationError({ records: `Record ${i} is not an object` });
      const id = r.id === undefined || r.id === null ? this.ids.next() : this.parseId(r.id);
      if (id === undefined) throw new ValidationError({ id: `Invalid id at record ${i}` });
      this.ids.observe(id);
      const doc: Doc = { id };
      for (const f of fields) {
        const v = f.name in r ? typed(f, r[f.name]) : f.default;
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
    const batchIds = this.store.size ? new Set(entries.map((e) => e.id)) : undefined;
    for (const f of fields) {
      if (!f.unique) continue;
      const seen = new Map<unknown, Id>();
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i]!;
        const v = e.doc[f.name];
        const dup = seen.get(v);
        const existing = batchIds && this.store.findBy(f.name, v);
        if ((dup !== undefined && dup !== e.id) || (existing && existing.id !== e.id && !batchIds.has(existing.id as Id))) {
          throw new ValidationError({ [f.name]: `${MESSAGES.unique} (record ${i})` });
        }
        seen.set(v, e.id);
      }
    }
    this.store.bulkPut(entries);
    return entries.length;
  }

  list(q: ListQuery): ListResult {
    const store = this.store;
    let start = q.since === undefined ? 0 : store.firstAfter({ ms: q.since });
    if (q.after) start = Math.max(start, store.firstAfter(q.after));
    const offset = Math.max(0, q.offset ?? 0);
    const end = offset + q.limit;
    const eq = q.eq ?? [];
    const where = q.where ?? [];
    if (!eq.length && !where.length) {
      const total = Math.max(0, store.length - start);
      return { items: store.slice(start + offset, start + end), total, hasMore: end < total };
    }
    const matches = (doc: Doc) => eq.every(([f, v]) => doc[f] === v) && where.every((p) => p(doc));
    const direct = eq.find(([f]) => f === "id" || store.isUniqueField(f));
    if (direct) {
      const [f, v] = direct;
      const doc = f === "id" ? store.get(v as Id) : store.findBy(f, v);
      const found: Doc[] = [];
      if (doc && matches(doc)) {
        const ms = this.updatedMs(doc);
        const pos = store.firstAfter({ ms, id: doc.id as Id }) - 1;
        if (pos >= start) found.push(doc);
      }
      return { items: found.slice(offset, end), total: found.length, hasMore: end < found.length };
    }
    const items: Doc[] = [];
    let total = 0;
    for (let i = start; i < store.length; i++) {
      const doc = store.at(i)!.doc;
      if (!matches(doc)) continue;
      if (total >= offset && total < end) items.push(doc);
      total++;
    }
    return { items, total, hasMore: end < total };
  }

  /** Converts a query-string value to the stored type of `field` (for equality filters). */
  coerce(field: string, raw: string): unknown {
    if (field === "id") return this.parseId(raw) ?? raw;
    const f = this.fieldMap.get(field);
    if (!f) return raw;
    switch (f.type) {
      case "boolean":
        return raw === "true" ? true : raw === "false" ? false : raw;
      case "number":
        return raw.trim() !== "" && !isNaN(Number(raw)) ? Number(raw) : raw;
      case "nullable-string":
        return raw === "null" ? null : raw;
      default:
        return raw;
    }
  }
}
