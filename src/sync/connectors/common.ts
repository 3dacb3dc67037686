import { SyncError } from "../errors";
import { getPath } from "./paths";
import type { TDoc, TListOptions, TListResult } from "./types";

/** Helpers shared by the connector dialects. */

const RESOURCE = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;
export const FIND_PAGE_LIMIT = 100;
export const FIND_MAX_PAGES = 20;

/** `/<resource>`; the resource may have nested segments ("companies/42/contacts"), nothing else. */
export function resourcePath(resource: string): string {
  if (!RESOURCE.test(resource)) {
    throw new SyncError("BAD_REQUEST", `invalid resource name "${resource.slice(0, 100)}"`, { field: "resource" });
  }
  return `/${resource}`;
}

/** `/<resource>/<id>` with the id URL-encoded. */
export function itemPath(resource: string, id: string): string {
  if (id === "") throw new SyncError("BAD_REQUEST", "record id is empty", { field: "id" });
  return `${resourcePath(resource)}/${encodeURIComponent(id)}`;
}

export function assertLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new SyncError("BAD_REQUEST", `list limit must be a positive integer, got ${limit}`, { field: "limit" });
  }
}

/** Page-number cursors: null → first page; anything but a positive integer is refused. */
export function parsePageCursor(cursor: string | null | undefined, firstPage: number): number {
  if (cursor === null || cursor === undefined || cursor === "") return firstPage;
  if (!/^\d+$/.test(cursor)) {
    throw new SyncError("BAD_REQUEST", "list cursor is not a page number", { field: "cursor" });
  }
  return Number(cursor);
}

/** The array at `path` in a list response, each item a JSON object. */
export function expectItems(body: unknown, path: string): TDoc[] {
  const items = getPath(body, path);
  if (!Array.isArray(items) || !items.every((i) => i !== null && typeof i === "object" && !Array.isArray(i))) {
    throw new SyncError("UPSTREAM_PERMANENT", `upstream list response has no array of objects at "${path}"`, {
      details: { path },
    });
  }
  return items as TDoc[];
}

/**
 * Guards against systems that ignore an unknown filter: drops documents whose `field` is
 * present with a different value (compared trimmed and case-insensitively; a populated
 * relationship object compares by its `id`). Documents without the field are kept.
 */
export function matchesField(doc: TDoc, field: string, value: string): boolean {
  const v = lookupValue(doc, field);
  if (v === undefined) return true;
  if (v === null) return false;
  return isScalar(v) ? comparable(v) === comparable(value) : true;
}

/** What a lookup compares in `field`: the value, or a populated relation's id; undefined when the field is absent. */
function lookupValue(doc: TDoc, field: string): unknown {
  const v = getPath(doc, field);
  return v !== null && typeof v === "object" && !Array.isArray(v) && "id" in v ? (v as { id: unknown }).id : v;
}
const isScalar = (v: unknown): v is string | number | boolean => typeof v === "string" || typeof v === "number" || typeof v === "boolean";
/** The post-filter compares trimmed and case-folded: it only drops what the system's own filter let through. */
const comparable = (v: string | number | boolean) => String(v).trim().toLowerCase();

/** Values one batched lookup asks for at most (a page of FIND_PAGE_LIMIT holds every match with room to spare). */
export const FIND_ANY_MAX_VALUES = 50;

/**
 * Splits the answer of a batched lookup (`findByAny`) by the value each document holds in `field`: a document goes to
 * the value it holds as written; one holding none of the values as written — the system's filter matched it another
 * way, by case or spaces — goes to each value it matches as `matchesField` compares (trimmed, case-folded), as a
 * lookup of that value alone (`findAll`) would have kept it. A document that is one value as written is not also
 * given to another value differing only in case (two records must not link one document). Two equal values (two
 * records sharing a natural key) both get the document; a document without the field belongs to no value.
 */
export function splitByValue(docs: TDoc[], field: string, values: string[]): Map<string, TDoc[]> {
  const out = new Map<string, TDoc[]>(values.map((v) => [v, []]));
  for (const doc of docs) {
    const v = lookupValue(doc, field);
    if (!isScalar(v)) continue;
    const exact = out.get(String(v));
    if (exact) exact.push(doc);
    else for (const [value, list] of out) if (matchesField(doc, field, value)) list.push(doc);
  }
  return out;
}

export interface TFindAllOptions {
  list: (resource: string, opts: TListOptions) => Promise<TListResult>;
  resource: string;
  field: string;
  value: string;
}

/** Walks every page of an equality-filtered list; refuses to walk more than FIND_MAX_PAGES. */
export async function findAll(opts: TFindAllOptions): Promise<TDoc[]> {
  const found: TDoc[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < FIND_MAX_PAGES; page++) {
    const result = await opts.list(opts.resource, {
      cursor,
      limit: FIND_PAGE_LIMIT,
      where: { [opts.field]: opts.value },
    });
    found.push(...result.items.filter((doc) => matchesField(doc, opts.field, opts.value)));
    if (result.next === null) return found;
    cursor = result.next;
  }
  throw new SyncError(
    "UPSTREAM_PERMANENT",
    `lookup of ${opts.resource} by "${opts.field}" returned more than ${FIND_MAX_PAGES * FIND_PAGE_LIMIT} records`,
    { details: { resource: opts.resource, field: opts.field } },
  );
}
