import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSampleSystems, type SampleSystems } from "../../demo/server";
import { startReceiver, waitFor, type Receiver } from "./helpers";

let app: SampleSystems;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  app = await startSampleSystems({ port: 0, concordUrl: receiver.url, seed: true });
});
afterAll(async () => {
  await app.close();
  await receiver.close();
});
beforeEach(() => {
  receiver.received.length = 0;
});

const post = (path: string, form: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  return fetch(`${app.url}${path}`, { method: "POST", body, redirect: "manual" });
};

describe("HTML UI", () => {
  it("renders a labelled table of records, newest first, with forms", async () => {
    const res = await fetch(`${app.url}/dashboard/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain("<title>Sample Dashboard — industries</title>");
    expect(html).toContain('action="/dashboard/ui/industries/create"');
    expect(html).toContain("Internal notes");
    // every visible input has a label
    const ids = [...html.matchAll(/<input type="(?:text|number|checkbox)"[^>]* id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(40);
    for (const id of ids) expect(html).toContain(`for="${id}"`);
    // newest updated first
    const first = html.indexOf("Event Catering");
    const last = html.indexOf("Solar Panel Installation");
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(last);
    expect(await (await fetch(`${app.url}/cms/`)).text()).toContain("Sample CMS — industries");
    expect(await (await fetch(`${app.url}/lead-centre`)).text()).toContain("No records yet.");
  });

  it("creates, updates and deletes through forms, like API writes", async () => {
    const sys = app.system("lead-centre");
    const created = await post("/lead-centre/ui/industries/create", {
      title: "Boat Repair",
      slug: "boat-repair",
      summary: "Fixing boats",
      enabled: ["false", "true"],
      lead_price: "9.5",
    });
    expect(created.status).toBe(303);
    expect(created.headers.get("location")).toMatch(/^\/lead-centre\/\?c=industries&ok=/);
    const doc = sys.all().find((d) => d.slug === "boat-repair")!;
    expect(doc).toMatchObject({ title: "Boat Repair", summary: "Fixing boats", enabled: true, lead_price: 9.5 });

    const updated = await post(`/lead-centre/ui/industries/${doc.id}/update`, { title: "Boat Repairs", summary: "", enabled: "false", lead_price: "10" });
    expect(updated.status).toBe(303);
    expect(sys.get(doc.id)).toMatchObject({ title: "Boat Repairs", enabled: false, lead_price: 10, slug: "boat-repair" });

    const deleted = await post(`/lead-centre/ui/industries/${doc.id}/delete`, {});
    expect(deleted.status).toBe(303);
    expect(sys.get(doc.id)).toBeUndefined();

    expect(sys.stats().writes).toEqual({ create: 1, update: 1, delete: 1 });
    const hooks = await waitFor(() => (receiver.received.length >= 3 ? receiver.received : undefined));
    expect(hooks.map((h) => h.json.type)).toEqual(["industry.created", "industry.updated", "industry.deleted"]);
    for (const h of hooks) new Webhook(app.secrets["lead-centre"]).verify(h.body, h.headers);
  });

  it("redirects back with the validation error", async () => {
    const res = await post("/dashboard/ui/industries/create", { name: "Roofing again", slug: "roofing" });
    expect(res.status).toBe(303);
    const location = res.headers.get("location")!;
    expect(decodeURIComponent(location)).toContain("slug");
    const page = await (await fetch(`${app.url}${location}`)).text();
    expect(page).toContain('class="flash error"');
  });
});
