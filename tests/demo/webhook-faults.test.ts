import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSampleSystems, type SampleSystems } from "../../demo/server";
import { getJson, putJson, startReceiver, waitFor, type Receiver } from "./helpers";

let app: SampleSystems;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  app = await startSampleSystems({ port: 0, concordUrl: receiver.url });
});
afterAll(async () => {
  await app.close();
  await receiver.close();
});
beforeEach(() => {
  app.reset();
  receiver.received.length = 0;
  receiver.failNext(0);
});

const dashboard = () => app.system("dashboard");
const names = () => receiver.received.map((h) => (h.json as { data: { name: string } }).data.name);

describe("webhook faults (delay, reorder, drop)", () => {
  it("are off by default, settable over /_webhook-faults, validated, and cleared by a reset", async () => {
    expect(await getJson(`${app.url}/dashboard/_webhook-faults`)).toEqual({ delayMs: 0, jitterMs: 0, reorder: 0, drop: 0, seed: 1 });
    const res = await putJson(`${app.url}/dashboard/_webhook-faults`, { delayMs: 50, drop: 0.5 });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ delayMs: 50, drop: 0.5 });
    expect((await putJson(`${app.url}/dashboard/_webhook-faults`, { drop: 2 })).status).toBe(400);
    expect((await putJson(`${app.url}/dashboard/_webhook-faults`, { nope: 1 })).status).toBe(400);
    app.reset();
    expect(dashboard().webhookFaults().drop).toBe(0);
  });

  it("delay holds a message back; the log says it was acknowledged", async () => {
    dashboard().setWebhookFaults({ delayMs: 300 });
    const t0 = Date.now();
    dashboard().create({ name: "Slow", slug: "slow" });
    await waitFor(() => receiver.received.length === 1 || undefined, 5000, "the delayed webhook");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    await dashboard().webhooksIdle();
    expect(dashboard().webhookOutcomes()).toMatchObject([{ type: "industry.created", record: "industries:1", outcome: "acked", reordered: false }]);
  });

  it("keeps per-record order under delay without reorder", async () => {
    dashboard().setWebhookFaults({ delayMs: 10, jitterMs: 200, seed: 7 });
    const doc = dashboard().create({ name: "v0", slug: "ordered" });
    for (let i = 1; i <= 5; i++) dashboard().update(doc.id, { name: `v${i}` });
    await dashboard().webhooksIdle();
    expect(names()).toEqual(["v0", "v1", "v2", "v3", "v4", "v5"]);
  });

  it("reorder lets a later message overtake an earlier one of the same record", async () => {
    dashboard().setWebhookFaults({ delayMs: 400, reorder: 1 });
    const doc = dashboard().create({ name: "first", slug: "overtaken" });
    dashboard().setWebhookFaults({ delayMs: 0 });
    dashboard().update(doc.id, { name: "second" });
    await dashboard().webhooksIdle();
    expect(names()).toEqual(["second", "first"]);
    expect(dashboard().webhookOutcomes().every((o) => o.reordered && o.outcome === "acked")).toBe(true);
  });

  it("drop never sends, logs it as dropped, and the same seed drops the same messages", async () => {
    const run = async () => {
      app.reset();
      receiver.received.length = 0;
      dashboard().setWebhookFaults({ drop: 0.5, seed: 42 });
      for (let i = 0; i < 20; i++) dashboard().create({ name: `d${i}`, slug: `d-${i}` });
      await dashboard().webhooksIdle();
      return dashboard()
        .webhookOutcomes()
        .map((o) => o.outcome);
    };
    const first = await run();
    expect(first.filter((o) => o === "dropped").length).toBeGreaterThan(0);
    expect(receiver.received.length).toBe(first.filter((o) => o === "acked").length);
    expect((await getJson(`${app.url}/dashboard/_webhooks`)).outcomes).toHaveLength(20);
    expect(await run()).toEqual(first);
  });
});
