import { SyncError } from "../errors";
import { assertLimit, expectItems, FIND_ANY_MAX_VALUES, FIND_PAGE_LIMIT, findAll, itemPath, parsePageCursor, resourcePath } from "./common";
import { assertConnectorContext, expectObject, ifMatch, sendRequest } from "./http";
import { findErrorField, getPath } from "./paths";
import type { Connector, ConnectorContext, TListResult } from "./types";

/**
 * Payload CMS 3 REST API (https://payloadcms.com/docs/rest-api/overview):
 * - list   GET    {api}/{slug}?limit&page&depth=0&sort=updatedAt&where[f][op]=v
 *                 → { docs, totalDocs, hasNextPage, nextPage, page, limit }
 * - get    GET    {api}/{slug}/{id}?depth=0 → the bare document; 404 → null
 * - create POST   {api}/{slug}?depth=0 → 201 { doc, message }
 * - update PATCH  {api}/{slug}/{id}?depth=0 → 200 { doc, message }
 * - remove DELETE {api}/{slug}/{id} → 200 { doc, message }; 404 = already gone
 * Validation failures are 400 { errors: [{ name, message, data: { collection, errors: [{ message, path }] } }] };
 * the first `path` is the field. Bad credentials are 403. The cursor is the next page number.
 */

export interface TPayloadOptions {
  /** Default "/api". */
  apiPath?: string;
}

const ERROR_FIELD_PATHS = ["errors[].data.errors[].path"];
const API_PATH = /^(\/[A-Za-z0-9._~-]+)*$/;

function depthZero(): URLSearchParams {
  return new URLSearchParams({ depth: "0" });
}

export function createPayloadConnector(ctx: ConnectorContext, options: TPayloadOptions = {}): Connector {
  assertConnectorContext(ctx);
  const apiPath = (options.apiPath ?? "/api").replace(/\/+$/, "");
  if (!API_PATH.test(apiPath)) {
    throw new SyncError("BAD_REQUEST", "Payload apiPath must look like /api", { field: "apiPath" });
  }
  const api = (path: string): string => `${apiPath}${path}`;
  const errorField = (body: unknown): string | undefined => findErrorField(body, ERROR_FIELD_PATHS);

  const connector: Connector = {
    async list(resource, opts) {
      assertLimit(opts.limit);
      const page = parsePageCursor(opts.cursor, 1);
      const query = new URLSearchParams({
        limit: String(opts.limit),
        page: String(page),
        depth: "0",
        sort: "updatedAt",
      });
      if (opts.updatedSince) query.set("where[updatedAt][greater_than]", opts.updatedSince.toISOString());
      for (const [field, value] of Object.entries(opts.where ?? {})) query.set(`where[${field}][equals]`, value);

      const res = await sendRequest(ctx, { method: "GET", path: api(resourcePath(resource)), query });
      const items = expectItems(res.json, "docs");
      const nextPage = getPath(res.json, "nextPage");
      const hasNext = getPath(res.json, "hasNextPage") === true;
      const result: TListResult = {
        items,
        next: hasNext ? String(typeof nextPage === "number" ? nextPage : page + 1) : null,
      };
      const total = getPath(res.json, "totalDocs");
      if (typeof total === "number") result.total = total;
      return result;
    },

    async get(resource, id) {
      const res = await sendRequest(ctx, {
        method: "GET",
        path: api(itemPath(resource, id)),
        query: depthZero(),
        accept: [404],
      });
      return res.status === 404 ? null : expectObject(res.json, "document");
    },

    async create(resource, body) {
      const res = await sendRequest(ctx, {
        method: "POST",
        path: api(resourcePath(resource)),
        query: depthZero(),
        body,
        errorField,
      });
      return expectObject(getPath(res.json, "doc"), "created document");
    },

    async update(resource, id, body, opts) {
      // Payload itself ignores If-Match; Concord's plugin (integrations/payload) honours it.
      const res = await sendRequest(ctx, {
        method: "PATCH",
        path: api(itemPath(resource, id)),
        query: depthZero(),
        body,
        errorField,
        headers: ifMatch(opts?.ifVersion),
      });
      return expectObject(getPath(res.json, "doc"), "updated document");
    },

    async remove(resource, id) {
      await sendRequest(ctx, { method: "DELETE", path: api(itemPath(resource, id)), accept: [404] });
    },

    findBy(resource, field, value) {
      return findAll({ list: connector.list, resource, field, value });
    },

    async findByAny(resource, field, values) {
      const unique = [...new Set(values)];
      if (unique.length === 0) return [];
      // Payload's `in` takes a comma-separated list: a value holding a comma (or nothing) cannot be asked this way.
      if (unique.length > FIND_ANY_MAX_VALUES || unique.some((v) => v === "" || v.includes(","))) return null;
      const query = new URLSearchParams({ limit: String(FIND_PAGE_LIMIT), page: "1", depth: "0" });
      query.set(`where[${field}][in]`, unique.join(","));
      const res = await sendRequest(ctx, { method: "GET", path: api(resourcePath(resource)), query });
      if (getPath(res.json, "hasNextPage") === true) return null;
      return expectItems(res.json, "docs");
    },
  };
  return connector;
}
