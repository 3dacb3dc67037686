import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSampleSystems, type MaintenanceEquipment, type SampleSystems } from "../../demo/server";
import { apiClient, startReceiver, type ApiClient, type Receiver } from "./helpers";

let app: SampleSystems;
let api: ApiClient;
let receiver: Receiver;
const sys = () => app.system("maintenance");

beforeAll(async () => {
  receiver = await startReceiver();
  app = await startSampleSystems({ port: 0, concordUrl: receiver.url, seed: true });
  api = apiClient(app.url, "maintenance");
});
afterAll(async () => {
  await app.close();
  await receiver.close();
});
beforeEach(() => {
  sys().reset();
  receiver.received.length = 0;
});

/** A company, a vessel of it and one equipment on that vessel, through the API. */
async function fleetOfOne() {
  const company = (await api("POST", "companies", { name: "Nordic Bulk", registration_no: "NO-1", country: "NO" })).body;
  const vessel = (await api("POST", "vessels", { company_id: company.id, name: "Nordic Fjell", imo: "9074729", type: "Bulk Carrier" })).body;
  const equipment = (await api("POST", "equipment", { vessel_id: vessel.id, name: "Main Engine", qr_code: "QR-1", specs: { power_kw: 1200, rpm: 750 } })).body;
  return { company, vessel, equipment };
}

describe("maintenance dialect", () => {
  it("starts empty in the demo data set", async () => {
    const fresh = await startSampleSystems({ seed: true });
    try {
      expect(fresh.system("maintenance").stats().count).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it("creates, reads, patches and deletes bare documents with integer ids", async () => {
    const { company, vessel, equipment } = await fleetOfOne();
    expect(company).toEqual({ id: 1, name: "Nordic Bulk", registration_no: "NO-1", country: "NO", created_at: expect.any(String), modified_at: company.created_at });
    expect(vessel).toMatchObject({ id: 1, company_id: 1, imo: "9074729", flag: "", built_year: null });
    expect(equipment).toMatchObject({ id: 1, vessel_id: 1, qr_code: "QR-1", specs: { power_kw: 1200, rpm: 750 }, maintenance_schedule: [], critical_parts: [] });
    expect((await api("GET", "equipment/1")).body).toEqual(equipment);
    const patched = await api("PATCH", "equipment/1", { critical_parts: [{ part_number: "P-1", name: "Injector", quantity: 6 }], category: "Propulsion" });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: 1, category: "Propulsion", critical_parts: [{ part_number: "P-1", name: "Injector", quantity: 6 }] });
    const del = await api("DELETE", "equipment/1");
    expect(del.status).toBe(200);
    expect(del.body.id).toBe(1);
    expect(await api("GET", "equipment/1")).toMatchObject({ status: 404, body: { error: "not found" } });
    expect((await api("GET", "equipment/abc")).status).toBe(404);
    expect((await api("GET", "nope")).status).toBe(404);
    expect((await api("PUT", "equipment/1", {})).status).toBe(405);
  });

  it("checks references with 422 naming the field", async () => {
    const { company, vessel } = await fleetOfOne();
    expect(await api("POST", "vessels", { company_id: 99, name: "Ghost", imo: "9000003" })).toMatchObject({ status: 422, body: { field: "company_id" } });
    expect(await api("POST", "vessels", { name: "Orphan", imo: "9000003" })).toMatchObject({ status: 422, body: { field: "company_id" } });
    expect(await api("POST", "equipment", { vessel_id: 42, name: "Pump", qr_code: "QR-2" })).toMatchObject({ status: 422, body: { field: "vessel_id" } });
    expect(await api("POST", "users", { company_id: 7, email: "a@b.io", full_name: "A", role: "crew" })).toMatchObject({ status: 422, body: { field: "company_id" } });
    expect(await api("POST", "users", { company_id: company.id, vessel_id: 9, email: "a@b.io", full_name: "A", role: "crew" })).toMatchObject({ status: 422, body: { field: "vessel_id" } });
    expect(await api("PATCH", `vessels/${vessel.id}`, { company_id: 5 })).toMatchObject({ status: 422, body: { error: "company_id: Does not exist.", field: "company_id" } });
    const shore = await api("POST", "users", { company_id: company.id, vessel_id: null, email: "a@b.io", full_name: "A", role: "superintendent" });
    expect(shore.status).toBe(201);
    expect(shore.body.vessel_id).toBeNull();
    expect(sys().stats().collections).toEqual({ companies: 1, vessels: 1, equipment: 1, users: 1 });
  });

  it("refuses to delete a company or vessel that still has children (409)", async () => {
    const { company, vessel, equipment } = await fleetOfOne();
    const user = (await api("POST", "users", { company_id: company.id, vessel_id: vessel.id, email: "m@x.io", full_name: "M", role: "master" })).body;
    const v = await api("DELETE", `vessels/${vessel.id}`);
    expect(v.status).toBe(409);
    expect(v.body.error).toBe("Cannot delete this vessel: it still has 1 equipment and 1 user.");
    expect((await api("DELETE", `companies/${company.id}`)).status).toBe(409);
    await api("DELETE", `equipment/${equipment.id}`);
    await api("PATCH", `users/${user.id}`, { vessel_id: null });
    expect((await api("DELETE", `vessels/${vessel.id}`)).status).toBe(200);
    expect((await api("DELETE", `companies/${company.id}`)).body.error).toBe("Cannot delete this company: it still has 1 user.");
    await api("DELETE", `users/${user.id}`);
    expect((await api("DELETE", `companies/${company.id}`)).status).toBe(200);
    expect(sys().stats().count).toBe(0);
  });

  it("answers duplicates with 409 and invalid values with 422, naming the field", async () => {
    const { company, vessel, equipment } = await fleetOfOne();
    const dup = (path: string, body: object) => api("POST", path, body);
    expect(await dup("companies", { name: "Copy", registration_no: "NO-1" })).toMatchObject({ status: 409, body: { field: "registration_no" } });
    expect(await dup("vessels", { company_id: company.id, name: "Twin", imo: "9074729" })).toMatchObject({ status: 409, body: { field: "imo" } });
    expect(await dup("equipment", { vessel_id: vessel.id, name: "Twin", qr_code: "QR-1" })).toMatchObject({ status: 409, body: { field: "qr_code" } });
    expect((await api("PATCH", `equipment/${equipment.id}`, { qr_code: "QR-1" })).status).toBe(200);
    await api("POST", "users", { company_id: company.id, email: "x@y.io", full_name: "X", role: "crew" });
    expect(await dup("users", { company_id: company.id, email: "x@y.io", full_name: "Y", role: "crew" })).toMatchObject({ status: 409, body: { field: "email" } });

    expect(await dup("vessels", { company_id: company.id, name: "Short", imo: "123" })).toMatchObject({ status: 422, body: { field: "imo" } });
    expect(await dup("equipment", { vessel_id: vessel.id, name: "No QR" })).toMatchObject({ status: 422, body: { field: "qr_code" } });
    const role = await dup("users", { company_id: company.id, email: "c@y.io", full_name: "C", role: "CAPTAIN" });
    expect(role).toMatchObject({ status: 422, body: { field: "role" } });
    expect(role.body.error).toContain("chief_engineer");
    expect(await dup("users", { company_id: company.id, email: "not-an-email", full_name: "C", role: "crew" })).toMatchObject({ status: 422, body: { field: "email" } });
    expect(await dup("equipment", { vessel_id: vessel.id, name: "Bad", qr_code: "QR-9", specs: [1] })).toMatchObject({ status: 422, body: { field: "specs" } });
    expect(await api("POST", "companies", "{oops")).toMatchObject({ status: 400, body: { error: "Invalid JSON body" } });
  });

  it("pages with an opaque cursor, modified_since and equality filters", async () => {
    expect(sys().seedSynthetic(12)).toBe(2 + 12 + 240 + 36);
    const seen: number[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const r: { body: { results: Array<{ id: number }>; next: string | null } } = await api("GET", `equipment?limit=50${next ? `&after=${encodeURIComponent(next)}` : ""}`);
      seen.push(...r.body.results.map((d) => d.id));
      next = r.body.next;
      pages++;
    } while (next);
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(240);
    expect(await api("GET", "equipment?after=%%bad")).toMatchObject({ status: 400, body: { field: "after" } });

    const all = sys().all<MaintenanceEquipment>("equipment");
    const since = all[100]!.modified_at;
    const r = await api("GET", `equipment?limit=1000&modified_since=${encodeURIComponent(since)}`);
    expect(r.body.results.map((d: { id: number }) => d.id)).toEqual(all.filter((d) => d.modified_at >= since).map((d) => d.id));
    expect(await api("GET", "equipment?modified_since=soon")).toMatchObject({ status: 400, body: { field: "modified_since" } });

    const one = async (q: string) => (await api("GET", q)).body.results.map((d: { id: number }) => d.id);
    const e = all[7]!;
    expect(await one(`equipment?qr_code=${e.qr_code}`)).toEqual([e.id]);
    expect(await one(`equipment?id=${e.id}`)).toEqual([e.id]);
    expect((await one(`equipment?vessel_id=${e.vessel_id}&limit=1000`)).length).toBe(20);
    const v = sys().get<{ imo: string; company_id: number }>(e.vessel_id, "vessels")!;
    expect(await one(`vessels?imo=${v.imo}`)).toEqual([e.vessel_id]);
    expect((await one(`vessels?company_id=${v.company_id}`)).length).toBe(10);
    const u = sys().all<{ id: number; email: string }>("users")[4]!;
    expect(await one(`users?email=${encodeURIComponent(u.email)}`)).toEqual([u.id]);
    const c = sys().all()[1]!;
    expect(await one(`companies?registration_no=${c.registration_no}`)).toEqual([c.id]);
  });

  it("sends signed webhooks for every change", async () => {
    await fleetOfOne();
    await api("PATCH", "vessels/1", { flag: "Norway" });
    await api("DELETE", "equipment/1");
    await sys().webhooksIdle();
    const hooks = receiver.received;
    // ordered per record (records travel in parallel lanes)
    const of = (singular: string) => hooks.filter((h) => h.json.type.startsWith(`${singular}.`)).map((h) => h.json.type);
    expect(hooks.length).toBe(5);
    expect([of("company"), of("vessel"), of("equipment")]).toEqual([["company.created"], ["vessel.created", "vessel.updated"], ["equipment.created", "equipment.deleted"]]);
    for (const h of hooks) {
      expect(h.path).toBe("/api/webhooks/maintenance");
      expect(() => new Webhook(app.secrets.maintenance).verify(h.body, h.headers)).not.toThrow();
    }
  });
});
