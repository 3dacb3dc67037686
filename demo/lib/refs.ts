// Reference checks between collections of one system (fields declared with `ref`).
import type { Collection } from "./collection";
import type { FieldSpec } from "./spec";
import type { Doc, Id } from "./store";
import { ConflictError, MESSAGES } from "./validate";

/** The collections of one system, as a collection sees them. */
export interface Peers {
  get(name: string): Collection | undefined;
  all(): Iterable<Collection>;
}

/** Errors for accepted `ref` values that name no existing document. */
export function refErrors(fields: readonly FieldSpec[], values: Doc, peers: Peers): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of fields) {
    if (!f.ref || !(f.name in values) || values[f.name] === null) continue;
    const target = peers.get(f.ref);
    const id = target?.parseId(values[f.name]);
    if (!target || id === undefined || !target.get(id)) errors[f.name] = MESSAGES.missingRef;
  }
  return errors;
}

/** Throws ConflictError when documents of any collection still refer to `id` of `col`. */
export function restrictDelete(col: Collection, id: Id, peers: Peers): void {
  const holders: string[] = [];
  for (const peer of peers.all()) {
    const refFields = peer.spec.fields.filter((f) => f.ref === col.name).map((f) => f.name);
    if (!refFields.length) continue;
    let n = 0;
    for (let i = 0; i < peer.store.length; i++) {
      const doc = peer.store.at(i)!.doc;
      if (refFields.some((f) => doc[f] === id)) n++;
    }
    if (n) holders.push(`${n} ${n === 1 ? peer.spec.singular : peer.name}`);
  }
  if (holders.length) throw new ConflictError(`Cannot delete this ${col.spec.singular}: it still has ${holders.join(" and ")}.`);
}
