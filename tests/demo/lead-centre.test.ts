import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSampleSystems, type SampleSystems } from "../../demo/server";
import { apiClient, type ApiClient } from "./helpers";

let app: SampleSystems;
let api: ApiClient;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

beforeAll(async () => {
  app = await startSampleSystems({ port: 0, apiKey: "lc-key", seed: true });
  api = apiClient(app.url, "lead-centre", "lc-key");
});
afterAll(() => app.close());
beforeEach(() => app.system("lead-centre").reset());

describe("lead-centre dialect", () => {
  it("starts empty in the sample data set", async () => {
    const fresh = await startSampleSystems({ seed: true });
    try {
      expect(fresh.system("lead-centre").stats().count).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it("creates, reads, patches and deletes bare documents", async () => {
    const created = await api("POST", "industries", { title: "Roofing", slug: "roofing", lead_price: 12.5, name: "ignored" });
    expect(created.status).toBe(201);
    const doc = created.body;
    expect(doc.id).toMatch(UUID);
    expect(doc).toEqual({
      id: doc.id,
      title: "Roofing",
      slug: "roofing",
      summary: "",
      enabled: true,
      lead_price: 12.5,
      created_at: doc.created_at,
      updated_at: doc.updated_at,
    });
    expect((await api("GET", `industries/${doc.id}`)).body).toEqual(doc);

    const patched = await api("PATCH", `industries/${doc.id}`, { enabled: false, summary: "Roofs" });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: doc.id, enabled: false, summary: "Roofs", title: "Roofing" });

    const del = await api("DELETE", `industries/${doc.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ deleted: true, id: doc.id });
    const missing = await api("GET", `industries/${doc.id}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ message: "not found" });
  });

  it("returns validation errors as { message: 'invalid', errors: [{ field, message }] }", async () => {
    const r = await api("POST", "industries", { title: "", slug: "ok" });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ message: "invalid", errors: [{ field: "title", message: expect.any(String) }] });
    await api("POST", "industries", { title: "A", slug: "a" });
    const dup = await api("POST", "industries", { title: "B", slug: "a" });
    expect(dup.body.errors).toEqual([{ field: "slug", message: expect.any(String) }]);
    const price = await api("POST", "industries", { title: "C", slug: "c", lead_price: "cheap" });
    expect(price.body.errors[0].field).toBe("lead_price");
  });

  it("refuses missing or wrong credentials with 401", async () => {
    expect((await fetch(`${app.url}/lead-centre/api/industries`)).status).toBe(401);
    const wrong = await apiClient(app.url, "lead-centre", "sample-key")("GET", "industries");
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ message: "unauthorized" });
  });

  it("walks every record exactly once with the cursor", async () => {
    app.system("lead-centre").seedSynthetic(1001);
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: { body: { items: Array<{ id: string }>; next_cursor: string | null } } = await api(
        "GET",
        `industries?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      ids.push(...r.body.items.map((d) => d.id));
      cursor = r.body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(11);
    expect(ids.length).toBe(1001);
    expect(new Set(ids).size).toBe(1001);
    expect((await api("GET", "industries?cursor=%%%garbage")).status).toBe(400);
  });

  it("keeps the cursor stable when records change while paging", async () => {
    const sys = app.system("lead-centre");
    sys.seedSynthetic(30);
    const first = await api("GET", "industries?limit=10");
    // an already-seen record gets updated: it moves to the end and is seen again, nothing is skipped
    await api("PATCH", `industries/${first.body.items[0].id}`, { summary: "changed" });
    const rest: string[] = [];
    let cursor: string | null = first.body.next_cursor;
    while (cursor) {
      const r = await api("GET", `industries?limit=10&cursor=${encodeURIComponent(cursor)}`);
      rest.push(...r.body.items.map((d: { id: string }) => d.id));
      cursor = r.body.next_cursor;
    }
    expect(rest.length).toBe(21);
    expect(rest[20]).toBe(first.body.items[0].id);
  });

  it("filters by updated_since and slug", async () => {
    app.system("lead-centre").seed([
      { title: "Old", slug: "old", updated_at: "2024-01-01T00:00:00.000Z" },
      { title: "Edge", slug: "edge", updated_at: "2024-06-01T00:00:00.000Z" },
      { title: "New", slug: "new", updated_at: "2025-01-01T00:00:00.000Z" },
    ]);
    const since = await api("GET", "industries?updated_since=2024-06-01T00:00:00.000Z");
    expect(since.body.items.map((d: { slug: string }) => d.slug)).toEqual(["new"]);
    expect(since.body.next_cursor).toBeNull();
    const slug = await api("GET", "industries?slug=edge");
    expect(slug.body.items.map((d: { title: string }) => d.title)).toEqual(["Edge"]);
    expect((await api("GET", "industries?updated_since=garbage")).status).toBe(400);
  });
});
