// Listing a collection: since / cursor position, equality filters, predicates, offset paging.
import type { Doc, Id, Position, Store } from "./store";

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

/** Lists `store` in (updated ms, id) order; `updatedMs` reads a doc's sort time. */
export function listDocs(store: Store, q: ListQuery, updatedMs: (doc: Doc) => number): ListResult {
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
  // a filter on the id or a unique field (not null: many docs may hold null) is a direct lookup
  const direct = eq.find(([f, v]) => v !== null && (f === "id" || store.isUniqueField(f)));
  if (direct) {
    const [f, v] = direct;
    const doc = f === "id" ? store.get(v as Id) : store.findBy(f, v);
    const found: Doc[] = [];
    if (doc && matches(doc)) {
      const pos = store.firstAfter({ ms: updatedMs(doc), id: doc.id as Id }) - 1;
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
