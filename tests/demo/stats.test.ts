import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSampleSystems, type SampleSystems } from "../../demo/server";
import { apiClient, getJson } from "./helpers";

let app: SampleSystems;

beforeAll(async () => {
  app = await startSampleSystems({ port: 0 });
});
afterAll(() => app.close());
beforeEach(() => app.reset());

describe("stats, seeding, dumping and resetting", () => {
  it("counts API requests and successful writes only", async () => {
    const api = apiClient(app.url, "dashboard");
    await api("POST", "industries", { name: "A", slug: "a" });
    await api("POST", "industries", { name: "B", slug: "a" }); // 422, not a write
    await api("PATCH", "industries/1", { name: "A2" });
    await api("DELETE", "industries/1");
    await apiClient(app.url, "dashboard", "bad")("GET", "industries"); // 401, still a request
    await fetch(`${app.url}/dashboard/`); // UI page view: not an API request
    const stats = await getJson(`${app.url}/dashboard/_stats`);
    expect(stats).toMatchObject({ writes: { create: 1, update: 1, delete: 1 }, requests: 5, count: 0 });
    expect(stats.maxRequestsPerSecond).toBeGreaterThanOrEqual(1);
    expect(stats.webhooks).toEqual({ sent: 0, failed: 0, pending: 0 });
  });

  it("tracks the busiest wall-clock second", async () => {
    const api = apiClient(app.url, "cms");
    await Promise.all(Array.from({ length: 40 }, () => api("GET", "industries")));
    const stats = app.system("cms").stats();
    expect(stats.requests).toBe(40);
    // 40 requests land in at most a couple of one-second buckets
    expect(stats.maxRequestsPerSecond).toBeGreaterThanOrEqual(20);
    expect(stats.maxRequestsPerSecond).toBeLessThanOrEqual(40);
  });

  it("seeds over HTTP without counting writes, assigns ids, and dumps everything", async () => {
    const res = await fetch(`${app.url}/dashboard/_seed`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ records: [{ name: "X", slug: "x" }, { id: 10, name: "Y", slug: "y", cms_id: "c1" }] }),
    });
    expect(await res.json()).toEqual({ seeded: 2, count: 2 });
    const all = await getJson(`${app.url}/dashboard/_all`);
    expect(all.industries.map((d: { id: number }) => d.id).sort()).toEqual([1, 10]);
    expect(app.system("dashboard").stats().writes).toEqual({ create: 0, update: 0, delete: 0 });
    const created = await apiClient(app.url, "dashboard")("POST", "industries", { name: "Z", slug: "z" });
    expect(created.body.data.id).toBe(11);
    const dup = await fetch(`${app.url}/dashboard/_seed`, { method: "POST", body: JSON.stringify({ records: [{ name: "X2", slug: "x" }] }) });
    expect(dup.status).toBe(400);
    const gen = await fetch(`${app.url}/cms/_seed`, { method: "POST", body: JSON.stringify({ generate: 500 }) });
    expect(await gen.json()).toEqual({ seeded: 500, count: 500 });
  });

  it("resets one system (ids restart) or all systems", async () => {
    const api = apiClient(app.url, "dashboard");
    await api("POST", "industries", { name: "A", slug: "a" });
    app.system("cms").seedSample();
    await fetch(`${app.url}/dashboard/_reset`, { method: "POST" });
    expect(app.system("dashboard").stats()).toMatchObject({ count: 0, requests: 0, writes: { create: 0 } });
    expect(app.system("cms").stats().count).toBe(20);
    expect((await api("POST", "industries", { name: "B", slug: "b" })).body.data.id).toBe(1);
    await fetch(`${app.url}/_reset`, { method: "POST" });
    expect(app.system("cms").stats().count).toBe(0);
    expect(app.system("dashboard").stats().count).toBe(0);
  });

  it("keeps 100k records and answers incremental queries", async () => {
    const sys = app.system("lead-centre");
    expect(sys.seedSynthetic(100_000)).toBe(100_000);
    const api = apiClient(app.url, "lead-centre");
    const last = sys.all()[99_999]!;
    const page = await api("GET", `industries?limit=5&updated_since=${encodeURIComponent("2024-01-02T03:46:00.000Z")}`);
    expect(page.body.items.length).toBe(5);
    expect(page.body.items[0].updated_at).toBe("2024-01-02T03:46:01.000Z");
    const bySlug = await api("GET", `industries?slug=${last.slug}`);
    expect(bySlug.body.items).toEqual([last]);
    const patched = await api("PATCH", `industries/${sys.all()[0]!.id}`, { summary: "moved" });
    expect(sys.all()[99_999]!.id).toBe(patched.body.id);
    expect(sys.stats().count).toBe(100_000);
  });
});
