import type { ServerResponse } from "node:http";
import type { TRestDialectInput } from "~/sync/connectors";
import { sendJson, type TRecordedRequest } from "./http-server";

/** Two imitated REST upstreams sharing one record store: a Dashboard-like and a Lead-Centre-like API. */

export const TOKEN = "dash_live_9f8e7d6c5b4a39281706";

/** Dashboard-like: page numbers, { data, meta }, { data: doc }, 422 { error: { fields } }, 204 on delete. */
export const DASHBOARD: TRestDialectInput = {
  basePath: "/dashboard/api",
  pagination: { style: "page", pageParam: "page", limitParam: "per_page", itemsPath: "data", hasMorePath: "meta.has_more", totalPath: "meta.total" },
  singlePath: "data",
  updatedSinceParam: "updated_since",
  filterStyle: "query",
  errorFieldPaths: ["error.fields"],
};

/** Lead-Centre-like: cursors, { items, next_cursor }, bare docs, 400 { errors: [{ field }] }. */
export const LEAD_CENTRE: TRestDialectInput = {
  pagination: { style: "cursor", cursorParam: "cursor", limitParam: "limit", itemsPath: "items", nextCursorPath: "next_cursor" },
  singlePath: null,
  updatedSinceParam: null,
  filterStyle: "query",
  errorFieldPaths: ["errors[].field"],
};

export type Doc = { id: string; slug: string; title: string; updatedAt: string };
export const posts = new Map<string, Doc>();
export function seed(): void {
  posts.clear();
  for (let i = 1; i <= 23; i++) {
    const id = String(i);
    posts.set(id, { id, slug: `post-${i}`, title: `Post ${i}`, updatedAt: new Date(Date.UTC(2024, 0, i)).toISOString() });
  }
}

export function dashboard(req: TRecordedRequest, res: ServerResponse): void {
  const m = /^\/dashboard\/api\/([a-z-]+)(?:\/([^/]+))?$/.exec(req.path);
  if (!m) return sendJson(res, 404, { error: { message: "no route" } });
  const [, resource, rawId] = m;
  const id = rawId === undefined ? undefined : decodeURIComponent(rawId);
  if (resource === "limited") return sendJson(res, 429, { error: { message: "slow down" } }, { "retry-after": "7" });
  if (resource === "flaky") return sendJson(res, 503, { error: { message: "maintenance" } });
  if (resource === "hang") return; // never answers
  if (resource === "locked") return sendJson(res, 401, { error: { message: "bad token" } });
  if (resource === "teapot") return sendJson(res, 418, { error: { message: "teapot" } });
  if (resource === "echo") return sendJson(res, 500, { error: `you sent ${String(req.headers.authorization)}` });
  if (resource === "garbage") return res.writeHead(200, { "content-type": "text/html" }).end("<html>hi</html>") as unknown as void;
  if (resource !== "posts") return sendJson(res, 404, { error: { message: "unknown resource" } });

  if (req.method === "GET" && id === undefined) {
    const page = Number(req.query.get("page") ?? "1");
    const perPage = Number(req.query.get("per_page") ?? "10");
    const since = req.query.get("updated_since");
    const slug = req.query.get("slug");
    const all = [...posts.values()].filter((p) => (!since || p.updatedAt > since) && (!slug || p.slug === slug));
    const data = all.slice((page - 1) * perPage, page * perPage);
    return sendJson(res, 200, { data, meta: { page, per_page: perPage, total: all.length, has_more: page * perPage < all.length } });
  }
  if (req.method === "GET") {
    const doc = posts.get(id ?? "");
    return doc ? sendJson(res, 200, { data: doc }) : sendJson(res, 404, { error: { message: "not found" } });
  }
  if (req.method === "POST") {
    const body = req.json as Partial<Doc>;
    if ([...posts.values()].some((p) => p.slug === body.slug)) {
      return sendJson(res, 422, { error: { message: "validation failed", fields: { slug: "taken" } } });
    }
    const doc = { ...body, id: String(posts.size + 100), updatedAt: "2025-01-01T00:00:00.000Z" } as Doc;
    posts.set(doc.id, doc);
    return sendJson(res, 201, { data: doc });
  }
  if (req.method === "PATCH") {
    const doc = posts.get(id ?? "");
    if (!doc) return sendJson(res, 404, { error: { message: "not found" } });
    const ifMatch = req.headers["if-match"];
    if (typeof ifMatch === "string" && ifMatch !== `"${doc.updatedAt}"`) return sendJson(res, 412, { error: { message: "changed since" } });
    const updated = { ...doc, ...(req.json as object) };
    posts.set(doc.id, updated);
    return id === "7" ? (res.writeHead(204).end() as unknown as void) : sendJson(res, 200, { data: updated });
  }
  if (req.method === "DELETE") {
    if (!posts.delete(id ?? "")) return sendJson(res, 404, { error: { message: "not found" } });
    res.writeHead(204).end();
    return;
  }
  sendJson(res, 405, {});
}

export function leadCentre(req: TRecordedRequest, res: ServerResponse): void {
  if (req.headers["x-api-key"] !== "lc-key-123456789") return sendJson(res, 403, { message: "forbidden" });
  if (req.path === "/leads" && req.method === "GET") {
    const limit = Number(req.query.get("limit"));
    const start = Number(req.query.get("cursor") ?? "0");
    const all = [...posts.values()];
    const items = all.slice(start, start + limit);
    const next = start + limit < all.length ? String(start + limit) : null;
    return sendJson(res, 200, { items, next_cursor: next });
  }
  if (req.path === "/leads" && req.method === "POST") {
    return sendJson(res, 400, { message: "invalid", errors: [{ field: "email", message: "required" }] });
  }
  const m = /^\/leads\/([^/]+)$/.exec(req.path);
  const doc = m ? posts.get(decodeURIComponent(m[1] ?? "")) : undefined;
  if (req.method === "GET") return doc ? sendJson(res, 200, doc) : sendJson(res, 404, { message: "nope" });
  sendJson(res, 405, {});
}
