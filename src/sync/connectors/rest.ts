import { SyncError } from "../errors";
import {
  assertLimit,
  expectItems,
  FIND_ANY_MAX_VALUES,
  FIND_PAGE_LIMIT,
  findAll,
  itemPath,
  parsePageCursor,
  resourcePath,
} from "./common";
import { assertConnectorContext, expectObject, ifMatch, sendRequest } from "./http";
import { findErrorField, getPath } from "./paths";
import { ZRestDialect, type TRestDialect, type TRestDialectInput } from "./rest-dialect";
import type { Connector, ConnectorContext, TDoc, TListOptions, TListResult } from "./types";

/** A generic REST connector, shaped by a dialect (see rest-dialect.ts). */

function readTotal(body: unknown, path: string | null | undefined): number | undefined {
  if (!path) return undefined;
  const total = getPath(body, path);
  return typeof total === "number" && Number.isFinite(total) ? total : undefined;
}

function readCursor(body: unknown, path: string): string | null {
  const next = getPath(body, path);
  if (typeof next === "string" && next !== "") return next;
  if (typeof next === "number" && Number.isFinite(next)) return String(next);
  return null;
}

function listQuery(dialect: TRestDialect, opts: TListOptions): URLSearchParams {
  const query = new URLSearchParams();
  const p = dialect.pagination;
  query.set(p.limitParam, String(opts.limit));
  if (p.style === "page") {
    query.set(p.pageParam, String(parsePageCursor(opts.cursor, p.firstPage)));
  } else if (opts.cursor) {
    query.set(p.cursorParam, opts.cursor);
  }
  if (opts.updatedSince && dialect.updatedSinceParam) {
    query.set(dialect.updatedSinceParam, opts.updatedSince.toISOString());
  }
  for (const [field, value] of Object.entries(opts.where ?? {})) query.set(field, value);
  return query;
}

function nextPage(dialect: TRestDialect, opts: TListOptions, body: unknown, items: TDoc[]): string | null {
  const p = dialect.pagination;
  if (p.style === "cursor") {
    const next = readCursor(body, p.nextCursorPath);
    if (next !== null && next === opts.cursor) {
      throw new SyncError("UPSTREAM_PERMANENT", "upstream returned the same page cursor again", {
        details: { cursor: next },
      });
    }
    return next;
  }
  const page = parsePageCursor(opts.cursor, p.firstPage);
  let more: boolean;
  const total = readTotal(body, p.totalPath);
  if (p.hasMorePath) more = getPath(body, p.hasMorePath) === true;
  else if (total !== undefined) more = (page - p.firstPage + 1) * opts.limit < total;
  else more = items.length >= opts.limit;
  return more && items.length > 0 ? String(page + 1) : null;
}

/** Dialects parsed once per dialect object (a connector is made per delivery; the config's dialects are fixed). */
const parsedDialects = new WeakMap<object, TRestDialect>();

function parseDialect(input: TRestDialectInput): TRestDialect {
  const cached = parsedDialects.get(input);
  if (cached) return cached;
  const parsed = ZRestDialect.safeParse(input);
  if (!parsed.success) {
    throw new SyncError("BAD_REQUEST", "invalid REST dialect", { details: parsed.error.issues });
  }
  parsedDialects.set(input, parsed.data);
  return parsed.data;
}

export function createRestConnector(ctx: ConnectorContext, dialectInput: TRestDialectInput): Connector {
  assertConnectorContext(ctx);
  const dialect = parseDialect(dialectInput);
  const errorField = (body: unknown): string | undefined => findErrorField(body, dialect.errorFieldPaths);
  const base = (path: string): string => `${dialect.basePath}${path}`;
  const single = (body: unknown, what: string): TDoc =>
    expectObject(dialect.singlePath === null ? body : getPath(body, dialect.singlePath), what);

  /** One request for every value (`anyOfParam`); null when the answer spans more than one page or a value holds a comma. */
  async function findByAny(resource: string, field: string, values: string[], param: string): Promise<TDoc[] | null> {
    const unique = [...new Set(values)];
    if (unique.length === 0) return [];
    if (unique.length > FIND_ANY_MAX_VALUES || unique.some((v) => v === "" || v.includes(","))) return null;
    const opts: TListOptions = { limit: FIND_PAGE_LIMIT };
    const query = listQuery(dialect, opts);
    query.set(param.replace("{field}", field), unique.join(","));
    const res = await sendRequest(ctx, { method: "GET", path: base(resourcePath(resource)), query });
    const items = expectItems(res.json, dialect.pagination.itemsPath);
    return nextPage(dialect, opts, res.json, items) === null ? items : null;
  }

  const connector: Connector = {
    async list(resource, opts) {
      assertLimit(opts.limit);
      const res = await sendRequest(ctx, {
        method: "GET",
        path: base(resourcePath(resource)),
        query: listQuery(dialect, opts),
      });
      const items = expectItems(res.json, dialect.pagination.itemsPath);
      const result: TListResult = { items, next: nextPage(dialect, opts, res.json, items) };
      const total = readTotal(res.json, dialect.pagination.totalPath);
      if (total !== undefined) result.total = total;
      return result;
    },

    async get(resource, id) {
      const res = await sendRequest(ctx, { method: "GET", path: base(itemPath(resource, id)), accept: [404] });
      if (res.status === 404) return null;
      return single(res.json, "document");
    },

    async create(resource, body) {
      const res = await sendRequest(ctx, { method: "POST", path: base(resourcePath(resource)), body, errorField });
      return single(res.json, "created document");
    },

    async update(resource, id, body, opts) {
      const headers = dialect.conditionalUpdates ? ifMatch(opts?.ifVersion) : undefined;
      const res = await sendRequest(ctx, { method: "PATCH", path: base(itemPath(resource, id)), body, errorField, headers });
      if (res.json !== null) return single(res.json, "updated document");
      // 204 No Content: read back what was stored.
      const stored = await connector.get(resource, id);
      if (!stored) throw new SyncError("UPSTREAM_PERMANENT", `${resource} ${id} vanished after update`);
      return stored;
    },

    async remove(resource, id) {
      await sendRequest(ctx, { method: "DELETE", path: base(itemPath(resource, id)), accept: [404, 410] });
    },

    findBy(resource, field, value) {
      return findAll({ list: connector.list, resource, field, value });
    },

    ...(dialect.anyOfParam ? { findByAny: (resource: string, field: string, values: string[]) => findByAny(resource, field, values, dialect.anyOfParam!) } : {}),

    async action(path, body) {
      const res = await sendRequest(ctx, { method: "POST", path: base(resourcePath(path)), body: body ?? {}, accept: [404], errorField });
      if (res.status === 404) return null;
      return single(res.json, "action result");
    },
  };
  return connector;
}
