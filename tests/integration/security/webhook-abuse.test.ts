import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signWebhook } from "~/sync/signature";
import { systems, webhookEvents } from "~/server/db/schema";
import { handleWebhookRequest, WEBHOOK_FAILURES_PER_MINUTE } from "~/server/http/webhook-request";
import { startHarness, type Harness } from "../../helpers/harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: false });
});
afterAll(async () => {
  await h?.stop();
});

const rows = async () => ({
  systems: (await h.engine.db.select({ n: count() }).from(systems))[0]!.n,
  events: (await h.engine.db.select({ n: count() }).from(webhookEvents))[0]!.n,
});
const industry = (slug: string) => ({ type: "industry.created", timestamp: new Date().toISOString(), data: { id: 7000 + slug.length, name: `Name ${slug}`, slug, description: "", is_active: true, cms_id: null } });

function signedRequest(system: string, secret: string, n: number, from: string): Request {
  const body = JSON.stringify(industry(`signed-${n}`));
  const ts = Math.floor(Date.now() / 1000);
  const id = `msg_abuse_${n}`;
  const headers = { "x-forwarded-for": from, "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": signWebhook({ secret, id, timestamp: ts, body }) };
  return new Request(`http://concord/api/webhooks/${system}`, { method: "POST", headers, body });
}

describe("webhook intake under attack", () => {
  it("`constructor`, `__proto__`, `toString` and other prototype names are unknown systems and write nothing", async () => {
    const before = await rows();
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"]) {
      const res = await fetch(`${h.concordUrl}/api/webhooks/${encodeURIComponent(name)}`, { method: "POST", headers: { "webhook-id": "x", "webhook-timestamp": "1", "webhook-signature": "v1,x" }, body: "{}" });
      expect(res.status, name).toBe(404);
      const direct = await handleWebhookRequest(h.engine, name, new Request("http://concord/x", { method: "POST", body: "{}" }), { perSecond: 100 });
      expect(direct.status, name).toBe(404);
    }
    expect(await rows()).toEqual(before);
  });

  it("a flood of unsigned requests does not get the correctly signed sender a 429; the flooding address is limited", async () => {
    const perSecond = 5;
    const flood = await Promise.all(
      Array.from({ length: WEBHOOK_FAILURES_PER_MINUTE + 40 }, () =>
        handleWebhookRequest(h.engine, "dashboard", new Request("http://concord/api/webhooks/dashboard", { method: "POST", headers: { "x-forwarded-for": "203.0.113.66" }, body: "{}" }), { perSecond }).then((r) => r.status),
      ),
    );
    expect(flood.every((s) => s === 401 || s === 429)).toBe(true);
    expect(flood.filter((s) => s === 401).length).toBeGreaterThan(perSecond);
    const again = await handleWebhookRequest(h.engine, "dashboard", new Request("http://concord/api/webhooks/dashboard", { method: "POST", headers: { "x-forwarded-for": "203.0.113.66" }, body: "{}" }), { perSecond });
    expect(again.status, "the flooding address is refused before its body is read").toBe(429);

    const real = await Promise.all([0, 1, 2].map((n) => handleWebhookRequest(h.engine, "dashboard", signedRequest("dashboard", h.samples.secrets.dashboard, n, "198.51.100.5"), { perSecond })));
    expect(real.map((r) => r.status)).toEqual([202, 202, 202]);
  });
});
