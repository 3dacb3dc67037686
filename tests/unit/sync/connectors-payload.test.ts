import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPayloadConnector, type ConnectorContext } from "~/sync/connectors";
import { closedPortUrl, rejectionOf, sendJson, startServer, type TRecordedRequest, type TTestServer } from "./helpers/http-server";

const KEY = "4f1e2d3c-payload-api-key-9a8b7c";
const AUTH = `users API-Key ${KEY}`;

type Doc = { id: number; title: string; slug: string; updatedAt: string; createdAt: string };
const docs = new Map<number, Doc>();
let nextId = 1;
function seed(): void {
  docs.clear();
  for (let i = 1; i <= 25; i++) {
    const at = new Date(Date.UTC(2024, 1, i)).toISOString();
    docs.set(i, { id: i, title: `Post ${i}`, slug: `post-${i}`, updatedAt: at, createdAt: at });
  }
  nextId = 26;
}

const notFound = { errors: [{ message: "Not Found" }] };
const validation = (path: string, name = "ValidationError") => ({
  errors: [
    {
      name,
      message: `The following field is invalid: ${path}`,
      data: { collection: "posts", errors: [{ message: "This field is required.", path }] },
    },
  ],
});

/** Imitates Payload 3's REST API for one collection, "posts". */
function payload(req: TRecordedRequest, res: ServerResponse): void {
  if (req.headers.authorization !== AUTH) {
    return sendJson(res, 403, { errors: [{ message: "You are not allowed to perform this action." }] });
  }
  if (req.path.startsWith("/cms/api/slow")) return sendJson(res, 429, { errors: [{ message: "Too many" }] }, { "retry-after": "Wed, 21 Oct 2099 07:28:00 GMT" });
  if (req.path.startsWith("/cms/api/broken")) return sendJson(res, 500, { errors: [{ message: "Something went wrong." }] });
  if (req.path.startsWith("/cms/api/hang")) return;
  const m = /^\/cms\/api\/posts(?:\/([^/]+))?$/.exec(req.path);
  if (!m) return sendJson(res, 404, notFound);
  const id = m[1] === undefined ? undefined : Number(decodeURIComponent(m[1]));

  if (req.method === "GET" && id === undefined) {
    const limit = Number(req.query.get("limit") ?? "10");
    const page = Number(req.query.get("page") ?? "1");
    const since = req.query.get("where[updatedAt][greater_than]");
    const slug = req.query.get("where[slug][equals]");
    const all = [...docs.values()]
      .filter((d) => (!since || d.updatedAt > since) && (!slug || d.slug === slug))
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
    const totalPages = Math.max(1, Math.ceil(all.length / limit));
    return sendJson(res, 200, {
      docs: all.slice((page - 1) * limit, page * limit),
      totalDocs: all.length,
      limit,
      totalPages,
      page,
      pagingCounter: (page - 1) * limit + 1,
      hasPrevPage: page > 1,
      hasNextPage: page < totalPages,
      prevPage: page > 1 ? page - 1 : null,
      nextPage: page < totalPages ? page + 1 : null,
    });
  }
  if (req.method === "GET") {
    const doc = docs.get(id ?? -1);
    return doc ? sendJson(res, 200, doc) : sendJson(res, 404, notFound);
  }
  if (req.method === "POST") {
    const body = req.json as Partial<Doc>;
    if (!body.title) return sendJson(res, 400, validation("title"));
    if (body.slug === "weird") return sendJson(res, 400, validation("slug", "SomethingElse"));
    const at = "2025-01-01T00:00:00.000Z";
    const doc = { ...body, id: nextId++, updatedAt: at, createdAt: at } as Doc;
    docs.set(doc.id, doc);
    return sendJson(res, 201, { doc, message: "Post successfully created." });
  }
  if (req.method === "PATCH") {
    const doc = docs.get(id ?? -1);
    if (!doc) return sendJson(res, 404, notFound);
    const updated = { ...doc, ...(req.json as object) };
    docs.set(doc.id, updated);
    return sendJson(res, 200, { doc: updated, message: "Updated successfully." });
  }
  if (req.method === "DELETE") {
    const doc = docs.get(id ?? -1);
    if (!doc) return sendJson(res, 404, notFound);
    docs.delete(doc.id);
    return sendJson(res, 200, { doc, message: "Deleted successfully." });
  }
  sendJson(res, 405, {});
}

let server: TTestServer;
beforeAll(async () => {
  server = await startServer(payload);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  seed();
  server.requests.length = 0;
});

const ctx = (over: Partial<ConnectorContext> = {}): ConnectorContext => ({
  baseUrl: server.url,
  authorization: { header: "authorization", value: AUTH },
  timeoutMs: 2_000,
  fetch,
  ...over,
});
const connector = (over: Partial<ConnectorContext> = {}) => createPayloadConnector(ctx(over), { apiPath: "/cms/api" });

describe("Payload connector", () => {
  it("lists with limit, page, depth=0, sort=updatedAt and walks every doc once", async () => {
    const c = connector();
    const seen: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page = await c.list("posts", { cursor, limit: 10 });
      expect(page.total).toBe(25);
      seen.push(...page.items.map((d) => d.id));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(server.requests.map((r) => r.query.get("page"))).toEqual(["1", "2", "3"]);
    const q = server.requests[0]?.query;
    expect(q?.get("limit")).toBe("10");
    expect(q?.get("depth")).toBe("0");
    expect(q?.get("sort")).toBe("updatedAt");
    expect(server.requests[0]?.path).toBe("/cms/api/posts");
  });

  it("filters by updatedAt greater_than and where equals", async () => {
    const page = await connector().list("posts", {
      limit: 100,
      updatedSince: new Date("2024-02-20T00:00:00Z"),
      where: { slug: "post-22" },
    });
    expect(page.items.map((d) => d.id)).toEqual([22]);
    expect(page.next).toBeNull();
    const q = server.requests[0]?.query;
    expect(q?.get("where[updatedAt][greater_than]")).toBe("2024-02-20T00:00:00.000Z");
    expect(q?.get("where[slug][equals]")).toBe("post-22");
  });

  it("gets a bare document with depth=0; 404 → null", async () => {
    const c = connector();
    expect(await c.get("posts", "3")).toMatchObject({ id: 3, slug: "post-3" });
    expect(server.requests[0]?.path).toBe("/cms/api/posts/3");
    expect(server.requests[0]?.query.get("depth")).toBe("0");
    expect(await c.get("posts", "999")).toBeNull();
  });

  it("creates with POST and returns doc from { doc, message }", async () => {
    const doc = await connector().create("posts", { title: "Hello", slug: "hello" });
    expect(doc).toMatchObject({ id: 26, title: "Hello", slug: "hello" });
    expect(doc).not.toHaveProperty("message");
    expect(server.requests[0]?.method).toBe("POST");
    expect(server.requests[0]?.path).toBe("/cms/api/posts");
    expect(server.requests[0]?.json).toEqual({ title: "Hello", slug: "hello" });
  });

  it("updates with PATCH and returns doc", async () => {
    const doc = await connector().update("posts", "4", { title: "Four" });
    expect(doc).toMatchObject({ id: 4, title: "Four", slug: "post-4" });
    expect(server.requests[0]?.method).toBe("PATCH");
    expect(server.requests[0]?.path).toBe("/cms/api/posts/4");
  });

  it("update of a missing doc → UPSTREAM_PERMANENT 404", async () => {
    const err = await rejectionOf(connector().update("posts", "999", { title: "x" }));
    expect(err.code).toBe("UPSTREAM_PERMANENT");
    expect(err.status).toBe(404);
  });

  it("removes with DELETE; already gone is fine", async () => {
    const c = connector();
    await c.remove("posts", "5");
    expect(docs.has(5)).toBe(false);
    await expect(c.remove("posts", "5")).resolves.toBeUndefined();
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["DELETE /cms/api/posts/5", "DELETE /cms/api/posts/5"]);
  });

  it("findBy uses where[field][equals]", async () => {
    const found = await connector().findBy("posts", "slug", "post-8");
    expect(found.map((d) => d.id)).toEqual([8]);
    expect(server.requests[0]?.query.get("where[slug][equals]")).toBe("post-8");
  });

  it("a validation error names the first path", async () => {
    const err = await rejectionOf(connector().create("posts", { slug: "no-title" }));
    expect(err.code).toBe("UPSTREAM_PERMANENT");
    expect(err.retryable).toBe(false);
    expect(err.status).toBe(400);
    expect(err.field).toBe("title");
  });

  it("finds the field by status and path, whatever the error name", async () => {
    const err = await rejectionOf(connector().create("posts", { title: "t", slug: "weird" }));
    expect(err.field).toBe("slug");
  });

  it("sends the API key header and maps 403 to UPSTREAM_AUTH", async () => {
    await connector().get("posts", "1");
    expect(server.requests[0]?.headers.authorization).toBe(AUTH);
    const bad = connector({ authorization: { header: "authorization", value: "users API-Key wrong-key-000000" } });
    const err = await rejectionOf(bad.get("posts", "1"));
    expect(err.code).toBe("UPSTREAM_AUTH");
    expect(err.retryable).toBe(false);
    expect(err.status).toBe(403);
    const noAuth = await rejectionOf(connector({ authorization: null }).list("posts", { limit: 1 }));
    expect(noAuth.code).toBe("UPSTREAM_AUTH");
  });

  it("429 with an HTTP-date Retry-After → rate limited, clamped to an hour", async () => {
    const err = await rejectionOf(connector().list("slow", { limit: 1 }));
    expect(err.code).toBe("UPSTREAM_RATE_LIMITED");
    expect(err.retryAfterMs).toBe(3_600_000);
  });

  it("500 → UPSTREAM_RETRYABLE", async () => {
    const err = await rejectionOf(connector().get("broken", "1"));
    expect(err.code).toBe("UPSTREAM_RETRYABLE");
    expect(err.status).toBe(500);
  });

  it("timeout and connection refused → UPSTREAM_RETRYABLE", async () => {
    const timeout = await rejectionOf(connector({ timeoutMs: 150 }).get("hang", "1"));
    expect(timeout.code).toBe("UPSTREAM_RETRYABLE");
    const refused = await rejectionOf(createPayloadConnector(ctx({ baseUrl: await closedPortUrl() })).get("posts", "1"));
    expect(refused.code).toBe("UPSTREAM_RETRYABLE");
  });

  it("never leaks the API key into errors", async () => {
    const errors = await Promise.all([
      rejectionOf(connector().create("posts", {})),
      rejectionOf(connector().get("broken", "1")),
      rejectionOf(connector({ timeoutMs: 100 }).get("hang", "1")),
    ]);
    for (const err of errors) {
      const text = JSON.stringify({ m: err.message, d: err.details, j: err.toJSON() });
      expect(text).not.toContain(KEY);
    }
  });

  it("defaults apiPath to /api", async () => {
    const urls: string[] = [];
    const fakeFetch = (async (url: URL | RequestInfo) => {
      urls.push(String(url));
      return new Response(JSON.stringify({ id: "a" }));
    }) as typeof fetch;
    await createPayloadConnector({ baseUrl: "http://p.test", timeoutMs: 1_000, fetch: fakeFetch }).get("media", "a b");
    expect(urls).toEqual(["http://p.test/api/media/a%20b?depth=0"]);
  });

  it("refuses a malformed apiPath", () => {
    expect(() => createPayloadConnector(ctx(), { apiPath: "api?x" })).toThrow(/apiPath/);
  });
});
