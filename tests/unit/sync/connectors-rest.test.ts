import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRestConnector, type TConnectorAttempt } from "~/sync/connectors";
import { excerptOf } from "~/sync/connectors/http";
import type { THttpClient } from "~/sync/connectors/types";
import { DASHBOARD, LEAD_CENTRE, TOKEN, dashboard, leadCentre, posts, seed } from "./helpers/fake-rest-upstreams";
import { closedPortUrl, rejectionOf, startServer, type TTestServer } from "./helpers/http-server";

let dash: TTestServer;
let lead: TTestServer;
let attempts: TConnectorAttempt[];

beforeAll(async () => {
  dash = await startServer(dashboard);
  lead = await startServer(leadCentre);
});
afterAll(async () => {
  await dash.close();
  await lead.close();
});
beforeEach(() => {
  seed();
  attempts = [];
  dash.requests.length = 0;
  lead.requests.length = 0;
});

/** connectors-rest-undici.test.ts runs this whole file again through the engine's pooled client instead of fetch. */
const client = (globalThis as { __connectorTestClient?: THttpClient }).__connectorTestClient;
const withClient = client ? { client } : {};

const dashCtx = (over: Partial<Parameters<typeof createRestConnector>[0]> = {}) => ({
  baseUrl: dash.url,
  authorization: { header: "authorization", value: `Bearer ${TOKEN}` },
  timeoutMs: 2_000,
  fetch,
  ...withClient,
  onAttempt: (a: TConnectorAttempt) => attempts.push(a),
  ...over,
});
const dashboardConnector = (over = {}) => createRestConnector(dashCtx(over), DASHBOARD);
const leadConnector = () =>
  createRestConnector({ baseUrl: lead.url, authorization: { header: "x-api-key", value: "lc-key-123456789" }, timeoutMs: 2_000, fetch, ...withClient }, LEAD_CENTRE);

describe("REST connector, page dialect (Dashboard-like)", () => {
  it("walks every item exactly once across pages", async () => {
    const c = dashboardConnector();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await c.list("posts", { cursor, limit: 10 });
      expect(page.total).toBe(23);
      seen.push(...page.items.map((d) => String(d.id)));
      cursor = page.next;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    expect(dash.requests.map((r) => r.query.get("page"))).toEqual(["1", "2", "3"]);
    expect(dash.requests.every((r) => r.path === "/dashboard/api/posts" && r.query.get("per_page") === "10")).toBe(true);
  });

  it("sends updated_since as ISO and where filters as query parameters", async () => {
    const c = dashboardConnector();
    const page = await c.list("posts", { limit: 50, updatedSince: new Date("2024-01-20T00:00:00Z"), where: { slug: "post-21" } });
    expect(page.items.map((d) => d.id)).toEqual(["21"]);
    expect(page.next).toBeNull();
    expect(dash.requests[0]?.query.get("updated_since")).toBe("2024-01-20T00:00:00.000Z");
    expect(dash.requests[0]?.query.get("slug")).toBe("post-21");
  });

  it("gets a document from { data }, and null on 404", async () => {
    const c = dashboardConnector();
    expect(await c.get("posts", "3")).toMatchObject({ id: "3", slug: "post-3" });
    expect(await c.get("posts", "nope")).toBeNull();
  });

  it("URL-encodes ids", async () => {
    const c = dashboardConnector();
    expect(await c.get("posts", "a/b?c")).toBeNull();
    expect(dash.requests[0]?.path).toBe("/dashboard/api/posts/a%2Fb%3Fc");
  });

  it("creates with POST + JSON and returns the stored document", async () => {
    const c = dashboardConnector();
    const doc = await c.create("posts", { slug: "new", title: "New" });
    expect(doc).toMatchObject({ slug: "new", title: "New", id: "123" });
    const req = dash.requests[0];
    expect(req?.method).toBe("POST");
    expect(req?.headers["content-type"]).toBe("application/json");
    expect(req?.json).toEqual({ slug: "new", title: "New" });
  });

  it("names the offending field of a 422", async () => {
    const err = await rejectionOf(dashboardConnector().create("posts", { slug: "post-1" }));
    expect(err.code).toBe("UPSTREAM_PERMANENT");
    expect(err.retryable).toBe(false);
    expect(err.status).toBe(422);
    expect(err.field).toBe("slug");
    expect(err.details).toMatchObject({ status: 422, method: "POST" });
    expect((err.details as { excerpt: string }).excerpt).toContain("taken");
  });

  it("updates with PATCH", async () => {
    const doc = await dashboardConnector().update("posts", "2", { title: "Changed" });
    expect(doc).toMatchObject({ id: "2", title: "Changed", slug: "post-2" });
    expect(dash.requests[0]?.method).toBe("PATCH");
    expect(dash.requests[0]?.path).toBe("/dashboard/api/posts/2");
  });

  it("makes an update conditional on the version last seen only where the dialect says the system honours it", async () => {
    const seen = new Date(String(posts.get("2")!.updatedAt));
    await dashboardConnector().update("posts", "2", { title: "Plain" }, { ifVersion: seen });
    expect(dash.requests[0]?.headers["if-match"], "off by default: a system with other entity tags would refuse every write").toBeUndefined();
    const conditional = createRestConnector(dashCtx(), { ...DASHBOARD, conditionalUpdates: true });
    const doc = await conditional.update("posts", "2", { title: "Matched" }, { ifVersion: seen });
    expect(doc.title).toBe("Matched");
    expect(dash.requests[1]?.headers["if-match"]).toBe(`"${seen.toISOString()}"`);
    const refused = await rejectionOf(conditional.update("posts", "2", { title: "Stale" }, { ifVersion: new Date(seen.getTime() - 1000) }));
    expect(refused).toMatchObject({ code: "UPSTREAM_CHANGED", status: 412, retryable: true });
    expect(posts.get("2")!.title).toBe("Matched");
  });

  it("reads the document back when an update answers 204", async () => {
    const doc = await dashboardConnector().update("posts", "7", { title: "Seven" });
    expect(doc).toMatchObject({ id: "7", title: "Seven" });
    expect(dash.requests.map((r) => r.method)).toEqual(["PATCH", "GET"]);
  });

  it("removes with DELETE; a missing record is fine", async () => {
    const c = dashboardConnector();
    await c.remove("posts", "5");
    expect(posts.has("5")).toBe(false);
    await expect(c.remove("posts", "5")).resolves.toBeUndefined();
    expect(dash.requests.map((r) => r.method)).toEqual(["DELETE", "DELETE"]);
  });

  it("findBy filters by query and walks all pages", async () => {
    const found = await dashboardConnector().findBy("posts", "slug", "post-9");
    expect(found.map((d) => d.id)).toEqual(["9"]);
    expect(dash.requests[0]?.query.get("slug")).toBe("post-9");
  });

  it("sends the configured Authorization header", async () => {
    await dashboardConnector().get("posts", "1");
    expect(dash.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(dash.requests[0]?.headers.accept).toBe("application/json");
  });

  it("429 → UPSTREAM_RATE_LIMITED with retryAfterMs", async () => {
    const err = await rejectionOf(dashboardConnector().list("limited", { limit: 5 }));
    expect(err.code).toBe("UPSTREAM_RATE_LIMITED");
    expect(err.retryable).toBe(true);
    expect(err.retryAfterMs).toBe(7_000);
    expect(err.status).toBe(429);
  });

  it("503 → UPSTREAM_RETRYABLE", async () => {
    const err = await rejectionOf(dashboardConnector().get("flaky", "1"));
    expect(err.code).toBe("UPSTREAM_RETRYABLE");
    expect(err.retryable).toBe(true);
    expect(err.status).toBe(503);
    expect(err.details).toMatchObject({ status: 503, excerpt: expect.stringContaining("maintenance") as unknown });
  });

  it("401 → UPSTREAM_AUTH, not retryable", async () => {
    const err = await rejectionOf(dashboardConnector().get("locked", "1"));
    expect(err.code).toBe("UPSTREAM_AUTH");
    expect(err.retryable).toBe(false);
  });

  it("other 4xx → UPSTREAM_PERMANENT", async () => {
    const err = await rejectionOf(dashboardConnector().get("teapot", "1"));
    expect(err.code).toBe("UPSTREAM_PERMANENT");
    expect(err.status).toBe(418);
    expect(err.field).toBeUndefined();
  });

  it("a server that never answers → UPSTREAM_RETRYABLE after the timeout", async () => {
    const started = Date.now();
    const err = await rejectionOf(dashboardConnector({ timeoutMs: 200 }).get("hang", "1"));
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(err.code).toBe("UPSTREAM_RETRYABLE");
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/200 ms/);
    expect(attempts.at(-1)).toMatchObject({ status: null, excerpt: "" });
  });

  it("connection refused → UPSTREAM_RETRYABLE", async () => {
    const c = createRestConnector(dashCtx({ baseUrl: await closedPortUrl() }), DASHBOARD);
    const err = await rejectionOf(c.get("posts", "1"));
    expect(err.code).toBe("UPSTREAM_RETRYABLE");
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/ECONNREFUSED/);
  });

  it("a 200 that is not JSON → UPSTREAM_PERMANENT", async () => {
    const err = await rejectionOf(dashboardConnector().get("garbage", "1"));
    expect(err.code).toBe("UPSTREAM_PERMANENT");
  });

  it("never puts the credential into errors or attempt logs, even when upstream echoes it", async () => {
    const err = await rejectionOf(dashboardConnector().get("echo", "1"));
    expect(dash.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const everything = JSON.stringify({ message: err.message, details: err.details, json: err.toJSON(), attempts });
    expect(everything).not.toContain(TOKEN);
    expect(everything).toContain("[redacted]");
  });

  it("reports every attempt", async () => {
    const c = dashboardConnector();
    await c.get("posts", "1");
    await c.get("posts", "nope");
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toMatchObject({ method: "GET", url: `${dash.url}/dashboard/api/posts/1`, status: 200 });
    expect(attempts[0]?.excerpt).toContain('"post-1"');
    expect(attempts[0]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(attempts[1]?.status).toBe(404);
  });

  it("cuts excerpts at 500 characters", async () => {
    posts.set("big", { id: "big", slug: "big", title: "x".repeat(2_000), updatedAt: "" });
    await dashboardConnector().get("posts", "big");
    expect(attempts[0]?.excerpt).toHaveLength(500);
  });

  it("never cuts an excerpt inside a character (half an emoji is not valid Unicode, and Postgres refuses it in jsonb)", async () => {
    // `{"data":{"id":"emoji","slug":"emoji","title":"` is 46 characters: the emoji after 453 x's straddles the 500th.
    posts.set("emoji", { id: "emoji", slug: "emoji", title: `${"x".repeat(453)}😀 and more`, updatedAt: "" });
    await dashboardConnector().get("posts", "emoji");
    const excerpt = attempts[0]!.excerpt;
    expect(excerpt.length).toBe(499);
    expect(excerpt.endsWith("x")).toBe(true);
    expect(excerptOf("a😀b", 2)).toBe("a");
    expect(excerptOf("a\uDE00b")).toBe("a\uFFFDb"); // a lone low surrogate becomes U+FFFD
    expect(excerptOf("😀😀", 4)).toBe("😀😀");
  });

  it("ignores an onAttempt that throws", async () => {
    const c = createRestConnector(dashCtx({ onAttempt: () => { throw new Error("logger down"); } }), DASHBOARD);
    expect(await c.get("posts", "1")).toMatchObject({ id: "1" });
  });
});

describe("REST connector, cursor dialect (Lead-Centre-like)", () => {
  it("walks every item exactly once by cursor", async () => {
    const c = leadConnector();
    const seen: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page = await c.list("leads", { cursor, limit: 6 });
      seen.push(...page.items.map((d) => d.id));
      cursor = page.next;
    } while (cursor);
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    expect(lead.requests.map((r) => r.query.get("cursor"))).toEqual([null, "6", "12", "18"]);
    expect(lead.requests[0]?.headers["x-api-key"]).toBe("lc-key-123456789");
    expect(lead.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("ignores updatedSince when the dialect has no parameter for it", async () => {
    await leadConnector().list("leads", { limit: 5, updatedSince: new Date() });
    expect([...(lead.requests[0]?.query.keys() ?? [])]).toEqual(["limit"]);
  });

  it("reads bare documents", async () => {
    expect(await leadConnector().get("leads", "4")).toMatchObject({ id: "4", slug: "post-4" });
    expect(await leadConnector().get("leads", "x")).toBeNull();
  });

  it("names the offending field of a 400", async () => {
    const err = await rejectionOf(leadConnector().create("leads", { name: "n" }));
    expect(err.code).toBe("UPSTREAM_PERMANENT");
    expect(err.status).toBe(400);
    expect(err.field).toBe("email");
    expect(err.message).toContain("email");
  });

  it("findBy drops records a server returned despite the filter", async () => {
    const found = await leadConnector().findBy("leads", "slug", "post-17");
    expect(found.map((d) => d.id)).toEqual(["17"]);
    expect(lead.requests).toHaveLength(1); // 23 records fit one page of 100
  });

  it("403 → UPSTREAM_AUTH", async () => {
    const c = createRestConnector({ baseUrl: lead.url, authorization: { header: "x-api-key", value: "wrong" }, timeoutMs: 1_000, fetch }, LEAD_CENTRE);
    const err = await rejectionOf(c.get("leads", "1"));
    expect(err.code).toBe("UPSTREAM_AUTH");
    expect(err.status).toBe(403);
  });
});
