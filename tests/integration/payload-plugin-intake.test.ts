import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { concordPlugin, type Config, type FetchLike } from "../../integrations/payload/src/index";
import { startHarness, type Harness } from "../helpers/harness";

// The plugin's real HTTP requests against Concord's real webhook intake: accepted, and the change
// made in the (sample) CMS reaches the sample Dashboard.

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: true });
});
afterAll(async () => {
  await h?.stop();
});

const cms = () => h.samples.system("cms");
const dashboard = () => h.samples.system("dashboard");

function wire() {
  const statuses: number[] = [];
  const realFetch: FetchLike = async (url, init) => {
    const res = await fetch(url, init);
    statuses.push(res.status);
    return res;
  };
  const plugin = concordPlugin({ concordUrl: h.concordUrl, system: "cms", secret: h.samples.secrets.cms, collections: { industries: "industry" }, fetch: realFetch });
  const config: Config = plugin({ collections: [{ slug: "users" }, { slug: "industries" }] });
  const industries = config.collections!.find((c) => c.slug === "industries")!;
  const logger = { warn: vi.fn() };
  const req = () => ({ payload: { logger }, context: {}, transactionID: undefined });
  return { plugin, statuses, logger, industries, req };
}

describe("Payload plugin → Concord intake", () => {
  it("create, update and delete events are accepted (202) and reach the Dashboard", async () => {
    const w = wire();
    // The CMS write itself (the sample CMS stands in for the Payload site's database; its own webhooks are off,
    // so the plugin's request is the only news Concord gets).
    cms().setConfig({ webhooks: false });
    onTestFinished(() => void cms().setConfig({ webhooks: true }));
    const doc = cms().create({ name: "Green Roofs", slug: "green-roofs", description: "Living roofs.", active: true, seoTitle: "Green roof installers" });

    const afterChange = w.industries.hooks!.afterChange!.at(-1)!;
    const afterDelete = w.industries.hooks!.afterDelete!.at(-1)!;
    expect(afterChange({ doc, previousDoc: {}, operation: "create", collection: w.industries, req: w.req(), context: {} })).toBe(doc);
    await w.plugin.idle();
    expect(w.statuses).toEqual([202]);
    await h.settle();
    const linked = dashboard().all().find((d) => d.slug === "green-roofs");
    expect(linked).toMatchObject({ name: "Green Roofs", description: "Living roofs.", is_active: true, cms_id: doc.id });
    expect(JSON.stringify(linked)).not.toContain("Green roof installers");

    const updated = cms().update(doc.id, { description: "Sedum and wildflower roofs." });
    afterChange({ doc: updated, previousDoc: doc, operation: "update", collection: w.industries, req: w.req(), context: {} });
    await w.plugin.idle();
    await h.settle();
    expect(dashboard().get(linked!.id)?.description).toBe("Sedum and wildflower roofs.");

    const removed = cms().remove(doc.id);
    afterDelete({ doc: removed, id: removed.id, collection: w.industries, req: w.req(), context: {} });
    await w.plugin.idle();
    await h.settle();
    expect(dashboard().get(linked!.id)).toBeUndefined();

    expect(w.statuses).toEqual([202, 202, 202]);
    expect(w.logger.warn).not.toHaveBeenCalled();
  });

  it("a wrong secret is refused (401, not retried) and logged, without failing the hook", async () => {
    const plugin = concordPlugin({ concordUrl: h.concordUrl, secret: h.samples.secrets.dashboard, collections: { industries: "industry" } });
    const config: Config = plugin({ collections: [{ slug: "industries" }] });
    const industries = config.collections![0]!;
    const logger = { warn: vi.fn() };
    const doc = { id: "6650f1c2a4b5c6d7e8f90999", name: "Nope", slug: "nope", createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
    expect(industries.hooks!.afterChange!.at(-1)!({ doc, previousDoc: doc, operation: "update", collection: industries, req: { payload: { logger }, context: {} }, context: {} })).toBe(doc);
    await plugin.idle();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]![1]).toMatch(/not delivered after 1 attempt: HTTP 401/);
  });
});
