import { describe, expect, it } from "vitest";
import { createRestConnector, type TRestDialectInput } from "~/sync/connectors";
import { DASHBOARD, LEAD_CENTRE } from "./helpers/fake-rest-upstreams";
import { rejectionOf } from "./helpers/http-server";

describe("REST connector configuration", () => {
  const ctx = () => ({ baseUrl: "http://127.0.0.1:1", timeoutMs: 1_000, fetch });

  it("refuses an invalid dialect", () => {
    expect(() => createRestConnector(ctx(), { pagination: { style: "offset" } } as unknown as TRestDialectInput)).toThrow(/dialect/);
    expect(() => createRestConnector(ctx(), { ...DASHBOARD, basePath: "no-slash" })).toThrow(/dialect/);
  });

  it("refuses a bad base URL, timeout or header name", () => {
    expect(() => createRestConnector({ ...ctx(), baseUrl: "not a url" }, DASHBOARD)).toThrow(/baseUrl/);
    expect(() => createRestConnector({ ...ctx(), baseUrl: "ftp://x" }, DASHBOARD)).toThrow(/baseUrl/);
    expect(() => createRestConnector({ ...ctx(), timeoutMs: 0 }, DASHBOARD)).toThrow(/timeoutMs/);
    expect(() => createRestConnector({ ...ctx(), authorization: { header: "bad header", value: "v" } }, DASHBOARD)).toThrow(/header/);
  });

  it("refuses odd resource names, ids, limits and cursors before any request", async () => {
    const c = createRestConnector(ctx(), DASHBOARD);
    expect((await rejectionOf(c.get("../admin", "1"))).code).toBe("BAD_REQUEST");
    expect((await rejectionOf(c.get("posts", ""))).code).toBe("BAD_REQUEST");
    expect((await rejectionOf(c.list("posts", { limit: 0 }))).code).toBe("BAD_REQUEST");
    expect((await rejectionOf(c.list("posts", { limit: 5, cursor: "abc" }))).code).toBe("BAD_REQUEST");
  });

  it("uses defaults for an abbreviated dialect and trims slashes", async () => {
    const seen: string[] = [];
    const fakeFetch = (async (url: URL | RequestInfo) => {
      seen.push(String(url));
      return new Response(JSON.stringify({ data: [{ id: 1 }] }), { status: 200 });
    }) as typeof fetch;
    const c = createRestConnector({ baseUrl: "http://h.test/", timeoutMs: 1_000, fetch: fakeFetch }, { basePath: "/v1/", pagination: { style: "page" } });
    const page = await c.list("things", { limit: 2 });
    expect(seen).toEqual(["http://h.test/v1/things?per_page=2&page=1"]);
    expect(page).toEqual({ items: [{ id: 1 }], next: null });
  });

  it("without hasMorePath, a full page means there may be more", async () => {
    const fakeFetch = (async () => new Response(JSON.stringify({ data: [{ id: 1 }, { id: 2 }] }))) as typeof fetch;
    const c = createRestConnector({ baseUrl: "http://h.test", timeoutMs: 1_000, fetch: fakeFetch }, { pagination: { style: "page" } });
    expect((await c.list("things", { limit: 2 })).next).toBe("2");
    expect((await c.list("things", { limit: 3, cursor: "4" })).next).toBeNull();
  });

  it("refuses a list response without the items array", async () => {
    const fakeFetch = (async () => new Response(JSON.stringify({ rows: [] }))) as typeof fetch;
    const c = createRestConnector({ baseUrl: "http://h.test", timeoutMs: 1_000, fetch: fakeFetch }, DASHBOARD);
    expect((await rejectionOf(c.list("posts", { limit: 2 }))).code).toBe("UPSTREAM_PERMANENT");
  });

  it("refuses a cursor that does not move", async () => {
    const fakeFetch = (async () => new Response(JSON.stringify({ items: [{ id: 1 }], next_cursor: "same" }))) as typeof fetch;
    const c = createRestConnector({ baseUrl: "http://h.test", timeoutMs: 1_000, fetch: fakeFetch }, LEAD_CENTRE);
    expect((await rejectionOf(c.list("leads", { limit: 2, cursor: "same" }))).code).toBe("UPSTREAM_PERMANENT");
  });

  it("refuses credentials in the base URL (they belong in authorization)", () => {
    expect(() => createRestConnector({ ...ctx(), baseUrl: "http://user:pa55word@h.test" }, DASHBOARD)).toThrow(/credentials/);
  });

  it("does not follow redirects (the credential must not travel elsewhere)", async () => {
    const asked: RequestInit[] = [];
    const fakeFetch = (async (_url: URL | RequestInfo, init?: RequestInit) => {
      asked.push(init ?? {});
      return new Response(null, { status: 302, headers: { location: "http://evil.test/" } });
    }) as typeof fetch;
    const c = createRestConnector({ baseUrl: "http://h.test", timeoutMs: 1_000, fetch: fakeFetch }, DASHBOARD);
    const err = await rejectionOf(c.get("posts", "1"));
    expect(asked[0]?.redirect).toBe("manual");
    expect(err.code).toBe("UPSTREAM_PERMANENT");
    expect(err.status).toBe(302);
  });

  it("passes a SyncError thrown by a custom fetch through unchanged", async () => {
    const { SyncError } = await import("~/sync/errors");
    const own = new SyncError("UPSTREAM_AUTH", "token refresh failed");
    const fakeFetch = (async () => {
      throw own;
    }) as typeof fetch;
    const c = createRestConnector({ baseUrl: "http://h.test", timeoutMs: 1_000, fetch: fakeFetch }, DASHBOARD);
    expect(await rejectionOf(c.get("posts", "1"))).toBe(own);
  });
});
