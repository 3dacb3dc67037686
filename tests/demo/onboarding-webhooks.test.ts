import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSampleSystems, type OnboardingVessel, type SampleSystems } from "../../demo/server";
import { apiClient, startReceiver, type ApiClient, type Receiver } from "./helpers";

let app: SampleSystems;
let api: ApiClient;
let receiver: Receiver;
const sys = () => app.system("onboarding");
const unapproved = () => sys().all<OnboardingVessel>("vessels").filter((v) => v.approvalStatus !== "approved");
const approved = () => sys().all<OnboardingVessel>("vessels").filter((v) => v.approvalStatus === "approved");
/** Every webhook queued so far has been delivered (or given up): what arrived is all there is. */
const delivered = async () => {
  await sys().webhooksIdle();
  return receiver.received.map((h) => h.json.type as string);
};

beforeAll(async () => {
  receiver = await startReceiver();
  app = await startSampleSystems({ port: 0, concordUrl: receiver.url, seed: true });
  api = apiClient(app.url, "onboarding");
});
afterAll(async () => {
  await app.close();
  await receiver.close();
});
beforeEach(() => {
  sys().reset();
  sys().seedSample();
  receiver.received.length = 0;
});

const form = (fields: Record<string, string> = {}) =>
  ({ method: "POST", body: new URLSearchParams(fields), redirect: "manual" }) as const;

describe("onboarding webhooks: approved records only", () => {
  it("sends nothing for records that are not approved, then one signed webhook when one is approved", async () => {
    const v = unapproved()[0]!;
    await api("PATCH", `sync/vessels/${v.id}`, { name: "Renamed while submitted" });
    const draft = await api("POST", "sync/companies", { name: "Draft Co", registrationNumber: "D-1" });
    await api("PATCH", `sync/companies/${draft.body.data.id}`, { approvalStatus: "submitted" });
    await api("DELETE", `sync/companies/${draft.body.data.id}`);
    expect(await delivered()).toEqual([]);
    expect(sys().stats().writes).toEqual({ create: 1, update: 2, delete: 1 });

    const r = await api("POST", `sync/vessels/${v.id}/approve`);
    expect(await delivered()).toEqual(["vessel.updated"]);
    const [hook] = receiver.received;
    expect(hook!.path).toBe("/api/webhooks/onboarding");
    const payload = new Webhook(app.secrets.onboarding).verify(hook!.body, hook!.headers) as { data: unknown };
    expect(payload.data).toEqual(r.body.data);
    expect(() => new Webhook(app.secrets.maintenance).verify(hook!.body, hook!.headers)).toThrow();
    expect(sys().stats().webhooks).toEqual({ sent: 1, failed: 0, pending: 0 });
  });

  it("covers created approved, changes to approved records, un-approving and deleting", async () => {
    const created = await api("POST", "sync/companies", { name: "Approved Co", registrationNumber: "A-1", approvalStatus: "approved" });
    expect(created.body.data.approvedAt).toBe(created.body.data.updatedAt);
    const v = approved()[0]!;
    await api("PATCH", `sync/vessels/${v.id}`, { flag: "Malta" });
    await api("PATCH", `sync/vessels/${v.id}`, { approvalStatus: "rejected" });
    await api("PATCH", `sync/vessels/${v.id}`, { flag: "Panama" }); // no longer approved: nothing
    await api("DELETE", `sync/companies/${created.body.data.id}`);
    await api("DELETE", `sync/vessels/${unapproved()[0]!.id}`); // never approved: nothing
    expect((await delivered()).length).toBe(4);
    // ordered per record (records travel in parallel lanes)
    const of = (id: string) => receiver.received.filter((h) => h.json.data.id === id).map((h) => h.json);
    expect(of(created.body.data.id).map((e) => e.type)).toEqual(["company.created", "company.deleted"]);
    const vesselEvents = of(v.id);
    expect(vesselEvents.map((e) => e.type)).toEqual(["vessel.updated", "vessel.updated"]);
    expect(vesselEvents.map((e) => [e.data.flag, e.data.approvalStatus])).toEqual([["Malta", "approved"], ["Malta", "rejected"]]);
    expect(vesselEvents[1].data.approvedAt).toBeNull();
  });
});

describe("onboarding HTML UI", () => {
  it("lists each collection with its approval status and Approve buttons for the others", async () => {
    const html = await (await fetch(`${app.url}/onboarding/?c=vessels`)).text();
    expect(html).toContain("<title>Sample Onboarding Portal — vessels</title>");
    expect(html).toContain("/onboarding/api/sync/vessels");
    for (const c of ["companies", "vessels", "equipment", "users"]) expect(html).toContain(`href="/onboarding/?c=${c}"`);
    expect(html).toContain('aria-current="page">vessels</a>');
    expect(html).toContain("<th>Approval status</th>");
    const buttons = [...html.matchAll(/<button type="submit" class="approve" aria-label="Approve ([^"]+)">Approve<\/button>/g)].map((m) => m[1]);
    expect(buttons.sort()).toEqual(unapproved().map((v) => v.name).sort());
    const ids = [...html.matchAll(/<(?:input type="(?:text|number|checkbox)"|select)[^>]* id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(100);
    for (const id of ids) expect(html).toContain(`for="${id}"`);

    const equipment = await (await fetch(`${app.url}/onboarding/?c=equipment`)).text();
    expect(equipment).toContain("&quot;power_kw&quot;");
    const users = await (await fetch(`${app.url}/onboarding/?c=users`)).text();
    expect(users).toContain("nordicbulk.no");
    expect(users).not.toContain("$2b$10$");
  });

  it("approves from the UI like the API: one webhook", async () => {
    const v = unapproved()[0]!;
    const res = await fetch(`${app.url}/onboarding/ui/vessels/${v.id}/approve`, form());
    expect(res.status).toBe(303);
    expect(decodeURIComponent(res.headers.get("location")!)).toContain(`ok=Approve: ${v.id}`);
    expect(sys().get<OnboardingVessel>(v.id, "vessels")).toMatchObject({ approvalStatus: "approved", approvedAt: expect.any(String) });
    expect(await delivered()).toEqual(["vessel.updated"]);
    // an approved record has no Approve button: the action is refused
    const again = await fetch(`${app.url}/onboarding/ui/vessels/${v.id}/approve`, form());
    expect(decodeURIComponent(again.headers.get("location")!)).toContain("error=Not found");

    const saved = await fetch(`${app.url}/onboarding/ui/equipment/${sys().all("equipment")[0]!.id}/update`, form({ specifications: "{not json" }));
    expect(decodeURIComponent(saved.headers.get("location")!)).toContain("specifications: Must be an object.");
  });
});
