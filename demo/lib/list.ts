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
  /** "one of these values" on one field (Payload's `in`); on a unique field it is a direct lookup per value */
  anyOf?: [string, unknown[]];
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
  const where = [...(q.where ?? [])];
  if (q.anyOf) {
    const [f, values] = q.anyOf;
    const set = new Set(values);
    if (f !== "id" && store.isUniqueField(f)) return listAnyOf(store, q, f, [...set], start, offset, end, updatedMs);
    where.push((d) => set.has(d[f]));
  }
  if (!eq.length && !where.length) {
    const total = Math.max(0, store.length - start);
    return { items: store.slice(start + offset, start + end), total, hasMore: end < total };
  }
  const matches = matcher(eq, where);
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
  return scan(store, eq, where, start, offset, end);
}

function matcher(eq: Array<[string, unknown]>, where: Array<(doc: Doc) => boolean>) {
  return (doc: Doc) => eq.every(([f, v]) => doc[f] === v) && where.every((p) => p(doc));
}

/** `in` on a unique field: one direct lookup per value, then the usual filters, in list order. */
function listAnyOf(store: Store, q: ListQuery, field: string, values: unknown[], start: number, offset: number, end: number, updatedMs: (doc: Doc) => number): ListResult {
  const matches = matcher(q.eq ?? [], q.where ?? []);
  const found: Array<{ pos: number; doc: Doc }> = [];
  for (const v of values) {
    const doc = v === null ? undefined : store.findBy(field, v);
    if (!doc || !matches(doc)) continue;
    const pos = store.firstAfter({ ms: updatedMs(doc), id: doc.id as Id }) - 1;
    if (pos >= start) found.push({ pos, doc });
  }
  found.sort((a, b) => a.pos - b.pos);
  return { items: found.slice(offset, end).map((f) => f.doc), total: found.length, hasMore: end < found.length };
}

function scan(store: Store, eq: Array<[string, unknown]>, where: Array<(doc: Doc) => boolean>, start: number, offset: number, end: number): ListResult {
  const matches = matcher(eq, where);
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
