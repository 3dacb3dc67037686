import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSampleSystems, type SampleSystems } from "../../demo/server";
import { apiClient, type ApiClient } from "./helpers";

let app: SampleSystems;
let api: ApiClient;

beforeAll(async () => {
  app = await startSampleSystems({ port: 0 });
  api = apiClient(app.url, "dashboard");
});
afterAll(() => app.close());
beforeEach(() => app.system("dashboard").reset());

describe("dashboard dialect", () => {
  it("creates, reads, patches and deletes", async () => {
    const created = await api("POST", "industries", { name: "Roofing", slug: "roofing", description: "Roofs", bogus: 1 });
    expect(created.status).toBe(201);
    const doc = created.body.data;
    expect(doc).toMatchObject({ id: 1, name: "Roofing", slug: "roofing", description: "Roofs", is_active: true, cms_id: null, internal_notes: "" });
    expect(doc).not.toHaveProperty("bogus");
    expect(doc.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(doc.updated_at).toBe(doc.created_at);

    const second = await api("POST", "industries", { name: "Plumbing", slug: "plumbing" });
    expect(second.body.data.id).toBe(2);

    const got = await api("GET", "industries/1");
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ data: doc });

    await new Promise((r) => setTimeout(r, 5));
    const patched = await api("PATCH", "industries/1", { cms_id: "665f1c00a1b2c3d4e5000001", is_active: false });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({ name: "Roofing", cms_id: "665f1c00a1b2c3d4e5000001", is_active: false });
    expect(patched.body.data.created_at).toBe(doc.created_at);
    expect(patched.body.data.updated_at > doc.updated_at).toBe(true);

    const del = await api("DELETE", "industries/1");
    expect(del.status).toBe(204);
    expect(del.body).toBeUndefined();
    const gone = await api("GET", "industries/1");
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ error: { message: "Not found" } });
    expect((await api("PATCH", "industries/99", { name: "x" })).status).toBe(404);
    expect((await api("DELETE", "industries/abc")).status).toBe(404);
  });

  it("answers validation errors with 422 and the field names", async () => {
    const missing = await api("POST", "industries", { slug: "x" });
    expect(missing.status).toBe(422);
    expect(missing.body).toEqual({ error: { message: "Validation failed", fields: { name: expect.any(String) } } });

    const badSlug = await api("POST", "industries", { name: "X", slug: "Not A Slug" });
    expect(badSlug.status).toBe(422);
    expect(Object.keys(badSlug.body.error.fields)).toEqual(["slug"]);

    await api("POST", "industries", { name: "A", slug: "a" });
    const dup = await api("POST", "industries", { name: "B", slug: "a" });
    expect(dup.status).toBe(422);
    expect(dup.body.error.fields.slug).toMatch(/unique/i);

    const emptyName = await api("PATCH", "industries/1", { name: "" });
    expect(emptyName.status).toBe(422);
    expect(emptyName.body.error.fields).toHaveProperty("name");

    const badJson = await api("POST", "industries", "{not json");
    expect(badJson.status).toBe(400);
    const tooBig = await api("POST", "industries", { name: "Big", slug: "big", description: "x".repeat(1024 * 1024 + 10) });
    expect(tooBig.status).toBe(413);
  });

  it("refuses missing or wrong credentials with 401", async () => {
    const none = await fetch(`${app.url}/dashboard/api/industries`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ error: { message: "Unauthorized" } });
    const wrong = await apiClient(app.url, "dashboard", "nope")("GET", "industries");
    expect(wrong.status).toBe(401);
    const payloadStyle = await api("GET", "industries", undefined, { headers: { authorization: "users API-Key sample-key" } });
    expect(payloadStyle.status).toBe(401);
  });

  it("pages through every record exactly once, in (updated_at, id) order", async () => {
    const sys = app.system("dashboard");
    sys.seedSynthetic(1234);
    const seen: number[] = [];
    let lastKey = "";
    for (let page = 1; ; page++) {
      const r = await api("GET", `industries?page=${page}&per_page=100`);
      expect(r.status).toBe(200);
      expect(r.body.meta).toMatchObject({ page, per_page: 100, total: 1234 });
      for (const d of r.body.data) {
        const key = `${d.updated_at}|${String(d.id).padStart(10, "0")}`;
        expect(key > lastKey).toBe(true);
        lastKey = key;
        seen.push(d.id);
      }
      if (!r.body.meta.has_more) break;
    }
    expect(seen.length).toBe(1234);
    expect(new Set(seen).size).toBe(1234);
    const capped = await api("GET", "industries?per_page=100000");
    expect(capped.body.meta.per_page).toBe(500);
    expect(capped.body.data.length).toBe(500);
  });

  it("filters by updated_since (strictly after) and by field equality", async () => {
    const sys = app.system("dashboard");
    sys.seed([
      { name: "Old", slug: "old", updated_at: "2024-01-01T00:00:00.000Z", created_at: "2024-01-01T00:00:00.000Z" },
      { name: "Edge", slug: "edge", updated_at: "2024-06-01T00:00:00.000Z", created_at: "2024-06-01T00:00:00.000Z" },
      { name: "New", slug: "new", cms_id: "abc", updated_at: "2025-01-01T00:00:00.000Z", created_at: "2025-01-01T00:00:00.000Z" },
    ]);
    const since = await api("GET", `industries?updated_since=${encodeURIComponent("2024-06-01T00:00:00.000Z")}`);
    expect(since.body.data.map((d: { slug: string }) => d.slug)).toEqual(["new"]);
    expect(since.body.meta.total).toBe(1);
    const all = await api("GET", "industries?updated_since=2023-01-01T00:00:00Z");
    expect(all.body.data.map((d: { slug: string }) => d.slug)).toEqual(["old", "edge", "new"]);

    expect((await api("GET", "industries?slug=edge")).body.data.map((d: { name: string }) => d.name)).toEqual(["Edge"]);
    expect((await api("GET", "industries?name=Old")).body.data.length).toBe(1);
    expect((await api("GET", "industries?cms_id=abc")).body.data[0].slug).toBe("new");
    expect((await api("GET", "industries?slug=edge&updated_since=2024-07-01T00:00:00Z")).body.data).toEqual([]);
    const bad = await api("GET", "industries?updated_since=yesterday");
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields).toHaveProperty("updated_since");
  });

  it("moves updated records to the end of the order", async () => {
    await api("POST", "industries", { name: "A", slug: "a" });
    await api("POST", "industries", { name: "B", slug: "b" });
    await new Promise((r) => setTimeout(r, 5));
    await api("PATCH", "industries/1", { description: "changed" });
    const list = await api("GET", "industries");
    expect(list.body.data.map((d: { id: number }) => d.id)).toEqual([2, 1]);
  });
});
