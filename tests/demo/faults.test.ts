import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSampleSystems, type SampleSystems } from "../../demo/server";
import { apiClient, getJson, putJson, waitFor } from "./helpers";

let app: SampleSystems;

beforeAll(async () => {
  app = await startSampleSystems({ port: 0 });
});
afterAll(() => app.close());
beforeEach(() => app.reset());

describe("fault injection", () => {
  it("reads and partially merges the knobs over HTTP, and reset clears them", async () => {
    const initial = await getJson(`${app.url}/dashboard/_faults`);
    expect(initial).toEqual({ latencyMs: 0, errorRate: 0, rate429: 0, retryAfterSeconds: 1, down: false, applyButTimeoutMs: 0 });
    const res = await putJson(`${app.url}/dashboard/_faults`, { rate429: 0.5 });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ rate429: 0.5, errorRate: 0, retryAfterSeconds: 1 });
    expect((await putJson(`${app.url}/dashboard/_faults`, { errorRate: 2 })).status).toBe(400);
    expect((await putJson(`${app.url}/dashboard/_faults`, { nope: 1 })).status).toBe(400);
    expect(await getJson(`${app.url}/cms/_faults`)).toMatchObject({ rate429: 0 });
    await fetch(`${app.url}/dashboard/_reset`, { method: "POST" });
    expect(await getJson(`${app.url}/dashboard/_faults`)).toMatchObject({ rate429: 0 });
  });

  it("answers 429 with Retry-After and applies nothing", async () => {
    await putJson(`${app.url}/dashboard/_faults`, { rate429: 1, retryAfterSeconds: 7 });
    const api = apiClient(app.url, "dashboard");
    const r = await api("POST", "industries", { name: "A", slug: "a" });
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBe("7");
    expect(app.system("dashboard").all()).toEqual([]);
    // faults do not touch the UI / control endpoints
    expect((await fetch(`${app.url}/dashboard/_stats`)).status).toBe(200);
    expect((await fetch(`${app.url}/dashboard/`)).status).toBe(200);
  });

  it("answers 500 {error:'injected'} at errorRate 1", async () => {
    app.system("lead-centre").setFaults({ errorRate: 1 });
    const r = await apiClient(app.url, "lead-centre")("GET", "industries");
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ error: "injected" });
  });

  it("destroys the socket when down (fetch rejects)", async () => {
    await putJson(`${app.url}/cms/_faults`, { down: true });
    await expect(apiClient(app.url, "cms")("GET", "industries")).rejects.toThrow();
    await putJson(`${app.url}/cms/_faults`, { down: false });
    expect((await apiClient(app.url, "cms")("GET", "industries")).status).toBe(200);
    // the failed request was still received and counted
    expect(app.system("cms").stats().requests).toBe(2);
  });

  it("applies a write but answers too late for a short client timeout (applyButTimeoutMs)", async () => {
    await putJson(`${app.url}/dashboard/_faults`, { applyButTimeoutMs: 1000 });
    const api = apiClient(app.url, "dashboard");
    await expect(api("POST", "industries", { name: "Late", slug: "late" }, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    const docs = await waitFor(() => {
      const all = app.system("dashboard").all();
      return all.length === 1 ? all : undefined;
    });
    expect(docs[0]).toMatchObject({ name: "Late", slug: "late" });
    expect(app.system("dashboard").stats().writes.create).toBe(1);
    // reads are not delayed
    expect((await api("GET", "industries", undefined, { signal: AbortSignal.timeout(800) })).status).toBe(200);
  });

  it("delays API requests by latencyMs and still answers", async () => {
    app.system("dashboard").setFaults({ latencyMs: 50 });
    const r = await apiClient(app.url, "dashboard")("GET", "industries");
    expect(r.status).toBe(200);
  });
});
