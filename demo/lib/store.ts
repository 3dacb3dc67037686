// In-memory document store: a Map by id, unique-field indexes, and an array kept
// sorted by (updated time asc, id asc) so listing, `updated_since` and paging are
// binary searches + slices even with 100k records.

export type Id = string | number;
export type Doc = Record<string, unknown>;

export interface Entry {
  id: Id;
  /** updated time in epoch ms (the sort key) */
  ms: number;
  doc: Doc;
}

/** Position in the sort order: (ms, id). `id` undefined = "after every id with that ms". */
export interface Position {
  ms: number;
  id?: Id;
}

function compare(aMs: number, aId: Id, bMs: number, bId: Id): number {
  if (aMs !== bMs) return aMs - bMs;
  return aId < bId ? -1 : aId > bId ? 1 : 0;
}

export class Store {
  private readonly byId = new Map<Id, Entry>();
  private readonly unique = new Map<string, Map<unknown, Id>>();
  private sorted: Entry[] = [];

  constructor(uniqueFields: readonly string[] = []) {
    for (const f of uniqueFields) this.unique.set(f, new Map());
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: Id): Doc | undefined {
    return this.byId.get(id)?.doc;
  }

  has(id: Id): boolean {
    return this.byId.has(id);
  }

  /** Looks a document up by a unique field (only fields given to the constructor); null finds nothing. */
  findBy(field: string, value: unknown): Doc | undefined {
    if (value === null || value === undefined) return undefined;
    const id = this.unique.get(field)?.get(value);
    return id === undefined ? undefined : this.get(id);
  }

  isUniqueField(field: string): boolean {
    return this.unique.has(field);
  }

  /** Inserts or replaces the document with that id. */
  put(id: Id, ms: number, doc: Doc): void {
    const old = this.byId.get(id);
    if (old) this.detach(old);
    const entry: Entry = { id, ms, doc };
    this.byId.set(id, entry);
    this.indexUnique(entry);
    const at = this.firstAfter({ ms, id });
    if (at === this.sorted.length) this.sorted.push(entry);
    else this.sorted.splice(at, 0, entry);
  }

  delete(id: Id): Doc | undefined {
    const old = this.byId.get(id);
    if (!old) return undefined;
    this.detach(old);
    this.byId.delete(id);
    return old.doc;
  }

  clear(): void {
    this.byId.clear();
    for (const m of this.unique.values()) m.clear();
    this.sorted = [];
  }

  /** Adds many entries at once (replacing same ids) and re-sorts once. */
  bulkPut(entries: Entry[]): void {
    for (const e of entries) {
      const old = this.byId.get(e.id);
      if (old) for (const [f, m] of this.unique) if (m.get(old.doc[f]) === old.id) m.delete(old.doc[f]);
      this.byId.set(e.id, e);
      this.indexUnique(e);
    }
    const all = [...this.byId.values()];
    let ordered = true;
    for (let i = 1; i < all.length && ordered; i++) ordered = compare(all[i - 1]!.ms, all[i - 1]!.id, all[i]!.ms, all[i]!.id) < 0;
    this.sorted = ordered ? all : all.sort((a, b) => compare(a.ms, a.id, b.ms, b.id));
  }

  /** Index of the first entry strictly after `pos` in the sort order. */
  firstAfter(pos: Position): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = this.sorted[mid]!;
      const after = pos.id === undefined ? e.ms > pos.ms : compare(e.ms, e.id, pos.ms, pos.id) > 0;
      if (after) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  get length(): number {
    return this.sorted.length;
  }

  at(index: number): Entry | undefined {
    return this.sorted[index];
  }

  slice(start: number, end: number): Doc[] {
    const out: Doc[] = [];
    const stop = Math.min(end, this.sorted.length);
    for (let i = Math.max(0, start); i < stop; i++) out.push(this.sorted[i]!.doc);
    return out;
  }

  /** All documents in sort order (oldest update first). */
  docs(): Doc[] {
    return this.sorted.map((e) => e.doc);
  }

  /** Newest updated first, at most `limit`. */
  newest(limit: number): Doc[] {
    const out: Doc[] = [];
    for (let i = this.sorted.length - 1; i >= 0 && out.length < limit; i--) out.push(this.sorted[i]!.doc);
    return out;
  }

  private detach(entry: Entry): void {
    for (const [f, m] of this.unique) if (m.get(entry.doc[f]) === entry.id) m.delete(entry.doc[f]);
    const at = this.firstAfter({ ms: entry.ms, id: entry.id }) - 1;
    if (at >= 0 && this.sorted[at] === entry) this.sorted.splice(at, 1);
    else {
      const i = this.sorted.indexOf(entry); // defensive; should not happen
      if (i >= 0) this.sorted.splice(i, 1);
    }
  }

  /** null / undefined values are not indexed: they never collide */
  private indexUnique(entry: Entry): void {
    for (const [f, m] of this.unique) {
      const v = entry.doc[f];
      if (v !== null && v !== undefined) m.set(v, entry.id);
    }
  }
}
