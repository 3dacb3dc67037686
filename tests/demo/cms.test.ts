import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSampleSystems, type SampleSystems } from "../../demo/server";
import { apiClient, type ApiClient } from "./helpers";

let app: SampleSystems;
let api: ApiClient;

beforeAll(async () => {
  app = await startSampleSystems({ port: 0 });
  api = apiClient(app.url, "cms");
});
afterAll(() => app.close());
beforeEach(() => app.system("cms").reset());

const q = (s: string) => s.replace(/\[/g, "%5B").replace(/\]/g, "%5D");

describe("cms dialect (Payload 3 REST)", () => {
  it("creates, reads, patches and deletes with Payload envelopes", async () => {
    const created = await api("POST", "industries", { id: "ffffffffffffffffffffffff", name: "Roofing", slug: "roofing", extra: true });
    expect(created.status).toBe(201);
    expect(created.body.message).toBe("Industry successfully created.");
    const doc = created.body.doc;
    expect(doc.id).toMatch(/^[0-9a-f]{24}$/);
    expect(doc.id).not.toBe("ffffffffffffffffffffffff");
    expect(doc).toEqual({
      id: doc.id,
      name: "Roofing",
      slug: "roofing",
      description: "",
      active: true,
      seoTitle: "",
      createdAt: doc.createdAt,
      updatedAt: doc.updatedAt,
    });

    const got = await api("GET", `industries/${doc.id}?depth=2`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(doc);

    const patched = await api("PATCH", `industries/${doc.id}`, { seoTitle: "Roofs", active: false });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ doc: expect.objectContaining({ id: doc.id, seoTitle: "Roofs", active: false }), message: "Updated successfully." });

    const del = await api("DELETE", `industries/${doc.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ doc: patched.body.doc, message: "Deleted successfully." });

    const missing = await api("GET", `industries/${doc.id}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ errors: [{ message: "Not Found" }] });
    expect((await api("GET", "industries/not-an-id")).status).toBe(404);
  });

  it("answers PUT with 404", async () => {
    const { body } = await api("POST", "industries", { name: "A", slug: "a" });
    const put = await api("PUT", `industries/${body.doc.id}`, { name: "B" });
    expect(put.status).toBe(404);
  });

  it("returns Payload-shaped validation errors", async () => {
    await api("POST", "industries", { name: "A", slug: "a" });
    const dup = await api("POST", "industries", { name: "B", slug: "a" });
    expect(dup.status).toBe(400);
    expect(dup.body).toEqual({
      errors: [
        {
          name: "ValidationError",
          message: "The following field is invalid: slug",
          data: { collection: "industries", errors: [{ message: expect.any(String), path: "slug" }] },
        },
      ],
    });
    const two = await api("POST", "industries", { slug: "Bad Slug" });
    expect(two.status).toBe(400);
    expect(two.body.errors[0].message).toBe("The following fields are invalid: name, slug");
  });

  it("refuses missing or wrong credentials with 403 and accepts both header styles", async () => {
    const none = await fetch(`${app.url}/cms/api/industries`);
    expect(none.status).toBe(403);
    expect((await none.json()).errors[0].message).toEqual(expect.any(String));
    expect((await apiClient(app.url, "cms", "wrong")("GET", "industries")).status).toBe(403);
    const payloadStyle = await fetch(`${app.url}/cms/api/industries`, { headers: { authorization: "users API-Key sample-key" } });
    expect(payloadStyle.status).toBe(200);
    expect((await api("GET", "industries")).status).toBe(200);
  });

  it("pages with page/limit through every doc exactly once", async () => {
    app.system("cms").seedSynthetic(257);
    const ids: string[] = [];
    let page = 1;
    for (;;) {
      const r = await api("GET", `industries?limit=50&page=${page}&depth=0`);
      expect(r.body).toMatchObject({ totalDocs: 257, limit: 50, totalPages: 6, page, pagingCounter: (page - 1) * 50 + 1, hasPrevPage: page > 1 });
      ids.push(...r.body.docs.map((d: { id: string }) => d.id));
      if (!r.body.hasNextPage) {
        expect(r.body.nextPage).toBeNull();
        break;
      }
      expect(r.body.nextPage).toBe(page + 1);
      page = r.body.nextPage;
    }
    expect(ids.length).toBe(257);
    expect(new Set(ids).size).toBe(257);
    const dflt = await api("GET", "industries");
    expect(dflt.body.limit).toBe(10);
    expect(dflt.body.docs.length).toBe(10);
    expect((await api("GET", "industries?limit=5000")).body.limit).toBe(1000);
  });

  it("supports where[updatedAt][greater_than] and where[field][equals]", async () => {
    app.system("cms").seed([
      { name: "Old", slug: "old", updatedAt: "2024-01-01T00:00:00.000Z" },
      { name: "Edge", slug: "edge", updatedAt: "2024-06-01T00:00:00.000Z", active: false },
      { name: "New", slug: "new", updatedAt: "2025-01-01T00:00:00.000Z" },
    ]);
    const since = await api("GET", q(`industries?where[updatedAt][greater_than]=2024-06-01T00:00:00.000Z`));
    expect(since.body.docs.map((d: { slug: string }) => d.slug)).toEqual(["new"]);
    const bySlug = await api("GET", q(`industries?where[slug][equals]=edge`));
    expect(bySlug.body.docs.map((d: { name: string }) => d.name)).toEqual(["Edge"]);
    expect(bySlug.body.totalDocs).toBe(1);
    const byActive = await api("GET", q(`industries?where[active][equals]=false`));
    expect(byActive.body.docs.map((d: { slug: string }) => d.slug)).toEqual(["edge"]);
    const both = await api("GET", q(`industries?where[slug][equals]=old&where[updatedAt][greater_than]=2024-02-01T00:00:00Z`));
    expect(both.body.docs).toEqual([]);
    expect(both.body).toMatchObject({ totalDocs: 0, totalPages: 1, hasNextPage: false, nextPage: null });
    const bad = await api("GET", q(`industries?where[nope][equals]=1`));
    expect(bad.status).toBe(400);
  });
});
