import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SyncError } from "~/sync/errors";
import { createPayloadConnector, type ConnectorContext, type TConnectorAttempt } from "~/sync/connectors";
import { concordPlugin } from "../../integrations/payload/src/index";
import { startPayload, type RealPayload } from "../helpers/payload";

// Concord's CMS connector against a real Payload 3's REST API (Payload's own handleEndpoints, the code
// behind @payloadcms/next's /api routes, on a plain Node server; SQLite adapter), not an imitation.

let cms: RealPayload;
const attempts: TConnectorAttempt[] = [];
beforeAll(async () => {
  cms = await startPayload({ serve: true });
  for (let i = 1; i <= 12; i++) {
    await cms.payload.create({ collection: "industries", data: { name: `Industry ${i}`, slug: `industry-${i}`, description: i % 2 ? `Odd ${i}.` : null, active: i % 3 !== 0 } });
  }
}, 180_000);
afterAll(async () => {
  await cms?.stop();
});

const ctx = (over: Partial<ConnectorContext> = {}): ConnectorContext => ({
  baseUrl: cms.url,
  authorization: { header: "authorization", value: `users API-Key ${cms.apiKey}` },
  timeoutMs: 10_000,
  fetch,
  onAttempt: (a) => attempts.push(a),
  ...over,
});
const connector = (over: Partial<ConnectorContext> = {}) => createPayloadConnector(ctx(over));

async function rejection(p: Promise<unknown>): Promise<SyncError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SyncError) return err;
    throw err;
  }
  throw new Error("expected a rejection");
}

describe("Payload connector against a real Payload 3 REST API", () => {
  it("lists page by page with limit, following nextPage, oldest change first", async () => {
    const c = connector();
    const first = await c.list("industries", { limit: 5 });
    expect(first).toMatchObject({ total: 12, next: "2" });
    expect(first.items).toHaveLength(5);
    const second = await c.list("industries", { limit: 5, cursor: first.next });
    const third = await c.list("industries", { limit: 5, cursor: second.next });
    expect(third.next).toBeNull();
    const slugs = [...first.items, ...second.items, ...third.items].map((d) => d.slug);
    expect(new Set(slugs).size).toBe(12);
    // depth=0 documents, as Payload stores them: numeric ids (SQLite), timestamps, the CMS's own fields.
    expect(first.items[0]).toMatchObject({ id: expect.any(Number), name: expect.any(String), updatedAt: expect.any(String), createdAt: expect.any(String) });
    const updated = [...first.items, ...second.items, ...third.items].map((d) => String(d.updatedAt));
    expect(updated).toEqual([...updated].sort());
  });

  it("lists with where: equality and updatedSince", async () => {
    const c = connector();
    const hit = await c.list("industries", { limit: 10, where: { slug: "industry-7" } });
    expect(hit.items.map((d) => d.name)).toEqual(["Industry 7"]);
    const all = await c.list("industries", { limit: 100 });
    const cut = new Date(String(all.items[8]!.updatedAt));
    const since = await c.list("industries", { limit: 100, updatedSince: cut });
    expect(since.items.map((d) => d.slug)).toEqual(all.items.slice(9).map((d) => d.slug));
  });

  it("finds by the natural key (slug)", async () => {
    const found = await connector().findBy("industries", "slug", "industry-3");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ slug: "industry-3", active: false });
    expect(await connector().findBy("industries", "slug", "nowhere")).toEqual([]);
  });

  it("creates (201 → the document), reads, patches only the given fields, and deletes (then get → null, delete again → fine)", async () => {
    const c = connector();
    const created = await c.create("industries", { name: "Marine", slug: "marine", description: "Ships.", active: true, unknownField: "dropped" });
    expect(created).toMatchObject({ id: expect.any(Number), name: "Marine", slug: "marine", description: "Ships.", active: true });
    expect(created).not.toHaveProperty("unknownField");
    const id = String(created.id);
    expect(await c.get("industries", id)).toMatchObject({ id: created.id, slug: "marine" });

    const patched = await c.update("industries", id, { description: "Ships and boats." });
    expect(patched).toMatchObject({ id: created.id, name: "Marine", description: "Ships and boats." });
    expect(Date.parse(String(patched.updatedAt))).toBeGreaterThanOrEqual(Date.parse(String(created.updatedAt)));
    expect(await cms.payload.findByID({ collection: "industries", id: created.id as number })).toMatchObject({ description: "Ships and boats.", name: "Marine" });

    await c.remove("industries", id);
    expect(await c.get("industries", id)).toBeNull();
    await expect(c.remove("industries", id)).resolves.toBeUndefined();
    // autoIncrement: a deleted id is never handed out again
    const next = await c.create("industries", { name: "Marine again", slug: "marine-again" });
    expect(Number(next.id)).toBeGreaterThan(Number(created.id));
  });

  it("a validation error is a permanent 400 naming the field", async () => {
    const missing = await rejection(connector().create("industries", { slug: "no-name" }));
    expect(missing).toMatchObject({ code: "UPSTREAM_PERMANENT", status: 400, field: "name", retryable: false });
    const duplicate = await rejection(connector().create("industries", { name: "Dup", slug: "industry-1" }));
    expect(duplicate).toMatchObject({ status: 400, field: "slug" });
    const badPatch = await rejection(connector().update("industries", "1", { name: null }));
    expect(badPatch).toMatchObject({ status: 400, field: "name" });
  });

  it("a missing document: get → null, update → permanent 404", async () => {
    expect(await connector().get("industries", "999999")).toBeNull();
    const err = await rejection(connector().update("industries", "999999", { name: "x" }));
    expect(err).toMatchObject({ status: 404, retryable: false });
  });

  it("sends `Authorization: users API-Key …`; a wrong key or none is refused with 403 (UPSTREAM_AUTH) and the key never shows", async () => {
    attempts.length = 0;
    await connector().get("industries", "1");
    expect(attempts[0]).toMatchObject({ status: 200 });
    const wrong = await rejection(connector({ authorization: { header: "authorization", value: "users API-Key not-the-key" } }).list("industries", { limit: 1 }));
    expect(wrong).toMatchObject({ code: "UPSTREAM_AUTH", status: 403, retryable: false });
    const none = await rejection(connector({ authorization: null }).create("industries", { name: "Anon", slug: "anon" }));
    expect(none).toMatchObject({ code: "UPSTREAM_AUTH", status: 403 });
    expect(JSON.stringify({ m: wrong.message, d: wrong.details, attempts })).not.toContain(cms.apiKey);
  });
});

describe("conditional updates through Concord's plugin in a real Payload 3", () => {
  let site: RealPayload;
  beforeAll(async () => {
    // The plugin's webhooks go nowhere here: this is about the beforeChange hook that honours If-Match.
    const plugin = concordPlugin({ concordUrl: "http://127.0.0.1:9", secret: `whsec_${Buffer.alloc(24, 7).toString("base64")}`, collections: { industries: "industry" }, fetch: async () => new Response(null, { status: 204 }) });
    site = await startPayload({ serve: true, plugins: [plugin] });
  }, 180_000);
  afterAll(async () => {
    await site?.stop();
  });

  it("applies an update for the version the document is at, and refuses one for an older version with 412 (UPSTREAM_CHANGED), changing nothing", async () => {
    const c = createPayloadConnector({ ...ctx(), baseUrl: site.url, authorization: { header: "authorization", value: `users API-Key ${site.apiKey}` } });
    const doc = await c.create("industries", { name: "Versioned", slug: "versioned" });
    const seen = new Date(String(doc.updatedAt));
    const first = await c.update("industries", String(doc.id), { name: "Versioned 2" }, { ifVersion: seen });
    expect(first.name).toBe("Versioned 2");
    const stale = await rejection(c.update("industries", String(doc.id), { name: "Over a newer edit" }, { ifVersion: seen }));
    expect(stale).toMatchObject({ code: "UPSTREAM_CHANGED", status: 412, retryable: true });
    expect((await c.get("industries", String(doc.id)))?.name).toBe("Versioned 2");
    const unconditional = await c.update("industries", String(doc.id), { name: "Versioned 3" });
    expect(unconditional.name).toBe("Versioned 3");
  });
});
