// A collection: field schema, validation, ids, timestamps and the store.
// Dialect-neutral: systems describe their fields with a CollectionSpec and
// format the results / errors in their own REST dialect.
import { IdGenerator } from "./ids";
import { nowIso } from "./http";
import { listDocs, type ListQuery, type ListResult } from "./list";
import { refErrors, restrictDelete, type Peers } from "./refs";
import { seedDocs } from "./seed";
import { defaultValue, type CollectionSpec, type FieldSpec } from "./spec";
import { Store, type Doc, type Id } from "./store";
import { checkFields, inFieldOrder, MESSAGES, ValidationError } from "./validate";
import { WriteOnlyValues } from "./write-only";

export type { Doc, Id, Position } from "./store";
export type { ListQuery, ListResult } from "./list";
export type { CollectionSpec, FieldSpec, FieldType, WriteOnlySpec } from "./spec";
export type { Peers } from "./refs";
export { ConflictError, MESSAGES, SLUG_RE, ValidationError } from "./validate";

export class NotFoundError extends Error {
  constructor() {
    super("Not found");
  }
}

export type ChangeType = "created" | "updated" | "deleted";

/** `previous` is the stored doc before an update or delete (undefined for creates). */
export type ChangeListener = (type: ChangeType, doc: Doc, collection: Collection, previous: Doc | undefined) => void;

export class Collection {
  readonly store: Store;
  readonly ids: IdGenerator;
  readonly fieldMap: ReadonlyMap<string, FieldSpec>;
  /** called after every successful create/update/delete (not for seeding) */
  onChange: ChangeListener | undefined;
  /** the other collections of the same system (reference checks); set by the system */
  peers: Peers | undefined;
  private readonly secrets: WriteOnlyValues;

  constructor(readonly spec: CollectionSpec) {
    this.store = new Store(spec.fields.filter((f) => f.unique).map((f) => f.name));
    this.ids = new IdGenerator(spec.idKind);
    this.fieldMap = new Map(spec.fields.map((f) => [f.name, f]));
    this.secrets = new WriteOnlyValues(spec.writeOnly ?? []);
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
    const values = this.accept(input, errors, undefined);
    for (const f of this.spec.fields) {
      if (f.required && !f.computed && !(f.name in values) && !errors[f.name]) errors[f.name] = MESSAGES.required;
    }
    const secrets = this.secrets.accept(input, errors);
    if (Object.keys(errors).length) throw new ValidationError(inFieldOrder(this.spec.fields, errors));
    const now = nowIso();
    const id = this.ids.next();
    const doc: Doc = { id };
    for (const f of this.spec.fields) doc[f.name] = f.name in values ? values[f.name] : defaultValue(f);
    doc[this.spec.createdField] = now;
    doc[this.spec.updatedField] = now;
    this.secrets.store(id, secrets, doc);
    this.spec.prepare?.(doc, undefined);
    this.store.put(id, Date.parse(now), doc);
    this.onChange?.("created", doc, this, undefined);
    return doc;
  }

  update(id: Id, patch: Doc): Doc {
    const old = this.store.get(id);
    if (!old) throw new NotFoundError();
    const errors: Record<string, string> = {};
    const values = this.accept(patch, errors, id);
    const secrets = this.secrets.accept(patch, errors);
    if (Object.keys(errors).length) throw new ValidationError(inFieldOrder(this.spec.fields, errors));
    const now = nowIso();
    const doc: Doc = { ...old, ...values, [this.spec.updatedField]: now };
    this.secrets.store(id, secrets, doc);
    this.spec.prepare?.(doc, old);
    this.store.put(id, Date.parse(now), doc);
    this.onChange?.("updated", doc, this, old);
    return doc;
  }

  remove(id: Id): Doc {
    if (!this.store.has(id)) throw new NotFoundError();
    if (this.peers) restrictDelete(this, id, this.peers);
    const old = this.store.delete(id)!;
    this.secrets.forget(id);
    this.onChange?.("deleted", old, this, old);
    return old;
  }

  /** Whether `value` matches the write-only value stored for `field` (e.g. a password). */
  verifyWriteOnly(id: Id, field: string, value: string): boolean {
    return this.secrets.verify(id, field, value);
  }

  reset(): void {
    this.store.clear();
    this.ids.reset();
    this.secrets.clear();
  }

  /** Loads docs in this collection's own shape (ids assigned when missing). No hooks, no stats. */
  seed(records: readonly Doc[]): number {
    return seedDocs(this.spec, this.store, this.ids, records);
  }

  list(q: ListQuery): ListResult {
    return listDocs(this.store, q, (doc) => this.updatedMs(doc));
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
      case "nullable-number":
        return raw === "null" ? null : raw.trim() !== "" && !isNaN(Number(raw)) ? Number(raw) : raw;
      case "nullable-string":
        return raw === "null" ? null : raw;
      default:
        return raw;
    }
  }

  /** Refused inputs, typed field values and references: the accepted values, errors filled. */
  private accept(input: Doc, errors: Record<string, string>, selfId: Id | undefined): Doc {
    for (const [field, message] of Object.entries(this.spec.refused ?? {})) if (field in input) errors[field] = message;
    const values = checkFields(this.spec.fields, this.store, input, errors, selfId);
    if (this.peers) Object.assign(errors, refErrors(this.spec.fields, values, this.peers));
    return values;
  }
}
