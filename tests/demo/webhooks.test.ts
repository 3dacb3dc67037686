import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateSecret, SAMPLE_SYSTEM_KEYS, startSampleSystems, type SampleSystems } from "../../demo/server";
import { apiClient, getJson, putJson, startReceiver, waitFor, type Receiver } from "./helpers";

let app: SampleSystems;
let receiver: Receiver;
const dashboardSecret = generateSecret();

beforeAll(async () => {
  receiver = await startReceiver();
  app = await startSampleSystems({ port: 0, concordUrl: receiver.url + "/", secrets: { dashboard: dashboardSecret } });
});
afterAll(async () => {
  await app.close();
  await receiver.close();
});
beforeEach(async () => {
  app.reset();
  for (const key of SAMPLE_SYSTEM_KEYS) app.system(key).setConfig({ webhooks: true, concordUrl: receiver.url });
  receiver.received.length = 0;
  receiver.failNext(0);
});

const received = (n: number) => waitFor(() => (receiver.received.length >= n ? receiver.received : undefined), 8000, `${n} webhooks`);

describe("outgoing Standard Webhooks", () => {
  it("uses the given secret or generates whsec_ secrets", () => {
    expect(app.secrets.dashboard).toBe(dashboardSecret);
    expect(app.secrets.cms).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(app.secrets["lead-centre"].slice(6), "base64").length).toBe(24);
    expect(Object.keys(app.secrets)).toEqual(["dashboard", "cms", "lead-centre", "onboarding", "maintenance"]);
    expect(new Set(Object.values(app.secrets)).size).toBe(5);
  });

  it("signs created/updated/deleted events so standardwebhooks verifies them", async () => {
    const api = apiClient(app.url, "dashboard");
    const created = (await api("POST", "industries", { name: "Roofing", slug: "roofing" })).body.data;
    const updated = (await api("PATCH", `industries/${created.id}`, { description: "Roofs" })).body.data;
    await api("DELETE", `industries/${created.id}`);
    const hooks = await received(3);
    const wh = new Webhook(app.secrets.dashboard);
    for (const h of hooks) {
      expect(h.path).toBe("/api/webhooks/dashboard");
      expect(h.headers["content-type"]).toBe("application/json");
      expect(h.headers["webhook-id"]).toMatch(/^msg_/);
      expect(h.headers["webhook-timestamp"]).toMatch(/^\d+$/);
      expect(() => wh.verify(h.body, h.headers)).not.toThrow();
      expect(() => new Webhook(app.secrets.cms).verify(h.body, h.headers)).toThrow();
    }
    expect(hooks.map((h) => h.json.type)).toEqual(["industry.created", "industry.updated", "industry.deleted"]);
    expect(hooks[0]!.json.data).toEqual(created);
    expect(hooks[1]!.json.data).toEqual(updated);
    expect(hooks[2]!.json.data).toEqual(updated);
    expect(Date.parse(hooks[0]!.json.timestamp)).not.toBeNaN();
    expect(new Set(hooks.map((h) => h.headers["webhook-id"])).size).toBe(3);
    await waitFor(() => app.system("dashboard").stats().webhooks.sent === 3);
  });

  it("posts to the system's own path with its own secret", async () => {
    const r = await apiClient(app.url, "lead-centre")("POST", "industries", { title: "A", slug: "a" });
    const cms = await apiClient(app.url, "cms")("POST", "industries", { name: "B", slug: "b" });
    const hooks = await received(2);
    const lc = hooks.find((h) => h.path === "/api/webhooks/lead-centre")!;
    const cm = hooks.find((h) => h.path === "/api/webhooks/cms")!;
    expect(new Webhook(app.secrets["lead-centre"]).verify(lc.body, lc.headers)).toMatchObject({ type: "industry.created", data: r.body });
    expect(new Webhook(app.secrets.cms).verify(cm.body, cm.headers)).toMatchObject({ data: cms.body.doc });
  });

  it("preserves the order of events per record", async () => {
    const api = apiClient(app.url, "cms");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await api("POST", "industries", { name: `R${i}`, slug: `r${i}` })).body.doc.id);
    // interleave many updates of the five records, fired concurrently per round
    for (let round = 0; round < 20; round++) {
      await Promise.all(ids.map((id) => api("PATCH", `industries/${id}`, { seoTitle: `v${round}` })));
    }
    const hooks = await received(5 + 100);
    for (const id of ids) {
      const mine = hooks.filter((h) => h.json.data.id === id);
      expect(mine.map((h) => h.json.type)).toEqual(["industry.created", ...Array<string>(20).fill("industry.updated")]);
      expect(mine.slice(1).map((h) => h.json.data.seoTitle)).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`));
    }
  });

  it("retries failed deliveries and counts sent/failed", async () => {
    receiver.failNext(2);
    const sys = app.system("dashboard");
    sys.create({ name: "Retry", slug: "retry" });
    const [hook] = await received(1);
    expect(hook!.json.data.slug).toBe("retry");
    await sys.webhooksIdle();
    expect(sys.stats().webhooks).toEqual({ sent: 1, failed: 0, pending: 0 });

    // nobody listening: 1 try + 3 retries (100ms, 500ms, 2s), then dropped and counted
    sys.setConfig({ concordUrl: "http://127.0.0.1:9" });
    sys.create({ name: "Lost", slug: "lost" });
    await sys.webhooksIdle();
    expect(sys.stats().webhooks).toMatchObject({ sent: 1, failed: 1, pending: 0 });
  });

  it("sends nothing when disabled, without a concordUrl, or for seeding", async () => {
    const cfg = await putJson(`${app.url}/dashboard/_config`, { webhooks: false });
    expect(await cfg.json()).toEqual({ webhooks: false, concordUrl: receiver.url });
    const shown = await getJson(`${app.url}/dashboard/_config`);
    expect(JSON.stringify(shown)).not.toContain("whsec_");
    await apiClient(app.url, "dashboard")("POST", "industries", { name: "Quiet", slug: "quiet" });

    app.system("cms").setConfig({ concordUrl: null });
    await apiClient(app.url, "cms")("POST", "industries", { name: "Quiet", slug: "quiet" });
    app.system("lead-centre").seedSynthetic(10);

    // a marker event proves the others would have arrived by now
    await apiClient(app.url, "lead-centre")("POST", "industries", { title: "Marker", slug: "marker" });
    await received(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.received.map((h) => h.path)).toEqual(["/api/webhooks/lead-centre"]);
    expect((await putJson(`${app.url}/dashboard/_config`, { webhooks: "yes" })).status).toBe(400);
  });
});
