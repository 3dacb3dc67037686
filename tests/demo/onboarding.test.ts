import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { OnboardingEquipment, OnboardingUser, OnboardingVessel } from "../../demo/server";
import { startSampleSystems, type SampleSystems } from "../../demo/server";
import { apiClient, type ApiClient } from "./helpers";

let app: SampleSystems;
let api: ApiClient;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const sys = () => app.system("onboarding");
const vessels = () => sys().all<OnboardingVessel>("vessels");
const ids = (body: { data: Array<{ id: string }> }) => body.data.map((d) => d.id);

beforeAll(async () => {
  app = await startSampleSystems({ port: 0, apiKey: "ob-key" });
  api = apiClient(app.url, "onboarding", "ob-key");
});
afterAll(() => app.close());
beforeEach(() => {
  sys().reset();
  sys().seedSample();
});

describe("onboarding data-provider API", () => {
  it("serves the sample fleet page by page, sorted by (updatedAt, id)", async () => {
    expect(sys().stats().collections).toEqual({ companies: 4, vessels: 20, equipment: 400, users: 60 });
    const pages = [];
    for (let page = 1; page <= 3; page++) pages.push((await api("GET", `sync/equipment?page=${page}&limit=150`)).body);
    expect(pages.map((p) => p.pagination)).toEqual([
      { page: 1, limit: 150, total: 400, hasMore: true },
      { page: 2, limit: 150, total: 400, hasMore: true },
      { page: 3, limit: 150, total: 400, hasMore: false },
    ]);
    const all = pages.flatMap((p) => p.data as OnboardingEquipment[]);
    expect(new Set(all.map((d) => d.id)).size).toBe(400);
    const keys = all.map((d) => `${d.updatedAt}|${d.id}`);
    expect(keys).toEqual([...keys].sort());
    expect((await api("GET", "sync/users")).body.pagination).toEqual({ page: 1, limit: 100, total: 60, hasMore: false });
    expect((await api("GET", "sync/equipment?limit=5000")).body.pagination.limit).toBe(1000);
  });

  it("filters by equality and by since (inclusive)", async () => {
    expect((await api("GET", "sync/companies?approvalStatus=approved")).body.data.length).toBe(3);
    const v = vessels().find((x) => x.name === "Straits Jade")!;
    const byVessel = (await api("GET", `sync/equipment?vesselId=${v.id}&limit=1000`)).body;
    expect(byVessel.data.length).toBe(20);
    expect(byVessel.data.every((e: OnboardingEquipment) => e.vesselId === v.id)).toBe(true);
    expect(ids((await api("GET", `sync/vessels?imoNumber=${v.imoNumber}`)).body)).toEqual([v.id]);
    expect(ids((await api("GET", `sync/vessels?id=${v.id}`)).body)).toEqual([v.id]);
    expect((await api("GET", `sync/users?vesselId=${v.id}`)).body.data.map((u: OnboardingUser) => u.role)).toEqual(["CAPTAIN", "CHIEF_ENGINEER"]);
    const company = sys().all()[0]!;
    expect(ids((await api("GET", `sync/companies?registrationNumber=${encodeURIComponent(company.registrationNumber)}`)).body)).toEqual([company.id]);
    expect((await api("GET", `sync/vessels?companyId=${company.id}`)).body.data.length).toBeGreaterThan(3);
    const eq = sys().all<OnboardingEquipment>("equipment").find((e) => e.qrCode)!;
    expect(ids((await api("GET", `sync/equipment?qrCode=${eq.qrCode}`)).body)).toEqual([eq.id]);
    expect((await api("GET", "sync/equipment?qrCode=null&limit=1000")).body.data.length).toBe(200);
    const user = sys().all<OnboardingUser>("users")[5]!;
    expect(ids((await api("GET", `sync/users?email=${encodeURIComponent(user.email)}`)).body)).toEqual([user.id]);
    expect((await api("GET", "sync/users?email=nobody%40example.com")).body.data).toEqual([]);
    expect((await api("GET", "sync/companies?imoNumber=9074729")).body.data).toEqual([]);

    const sorted = vessels();
    const since = sorted[9]!.updatedAt;
    const expected = sorted.filter((x) => x.updatedAt >= since).map((x) => x.id);
    const r = await api("GET", `sync/vessels?since=${encodeURIComponent(since)}`);
    expect(ids(r.body)).toEqual(expected);
    expect(expected).toContain(sorted[9]!.id);
    const bad = await api("GET", "sync/vessels?since=yesterday");
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields).toEqual({ since: expect.any(String) });
  });

  it("reads, creates, patches and deletes with { data } envelopes", async () => {
    const v = vessels()[0]!;
    expect((await api("GET", `sync/vessels/${v.id}`)).body).toEqual({ data: v });
    const missing = await api("GET", "sync/vessels/00000000-0000-4000-8000-000000000000");
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { message: "not found" } });
    expect((await api("GET", "sync/vessels/not-a-uuid")).status).toBe(404);
    expect((await api("GET", "sync/nope")).status).toBe(404);
    expect((await api("GET", "vessels")).status).toBe(404);

    const created = await api("POST", "sync/companies", { name: "Fjord Line", registrationNumber: "NO-1", country: "NO", bogus: 1 });
    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({
      id: expect.stringMatching(UUID),
      name: "Fjord Line",
      registrationNumber: "NO-1",
      country: "NO",
      address: "",
      approvalStatus: "draft",
      approvedAt: null,
      createdAt: expect.any(String),
      updatedAt: created.body.data.createdAt,
    });

    const eq = sys().all<OnboardingEquipment>("equipment").find((e) => e.qrCode === null)!;
    const patched = await api("PATCH", `sync/equipment/${eq.id}`, { qrCode: "QR-CONCORD-1" });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({ id: eq.id, qrCode: "QR-CONCORD-1", name: eq.name, specifications: eq.specifications });
    expect(patched.body.data.updatedAt >= eq.updatedAt).toBe(true);

    const del = await api("DELETE", `sync/companies/${created.body.data.id}`);
    expect(del.status).toBe(200);
    expect(del.body.data.id).toBe(created.body.data.id);
    expect((await api("GET", `sync/companies/${created.body.data.id}`)).status).toBe(404);
  });

  it("answers invalid input with 422 naming each field", async () => {
    const taken = sys().all()[0]!.registrationNumber;
    const r = await api("POST", "sync/companies", { name: "", registrationNumber: taken });
    expect(r.status).toBe(422);
    expect(Object.keys(r.body.error.fields)).toEqual(["name", "registrationNumber"]);
    expect(r.body.error.message).toMatch(/name/);
    const v = vessels()[0]!;
    const eq = sys().all<OnboardingEquipment>("equipment").find((e) => e.qrCode)!;
    const dup = await api("POST", "sync/equipment", { vesselId: v.id, name: "Spare pump", qrCode: eq.qrCode });
    expect(dup.body.error.fields).toEqual({ qrCode: expect.any(String) });
    // any number of records may lack a QR code
    for (let i = 0; i < 2; i++) expect((await api("POST", "sync/equipment", { vesselId: v.id, name: `Spare ${i}`, qrCode: null })).status).toBe(201);
    const bad = await api("POST", "sync/equipment", { vesselId: v.id, specifications: "x", maintenanceSchedule: {}, approvalStatus: "maybe" });
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["approvalStatus", "maintenanceSchedule", "specifications"]);
    const role = await api("POST", "sync/users", { companyId: v.companyId, email: "new@example.com", role: "ADMIN" });
    expect(role.body.error.fields).toEqual({ role: expect.stringContaining("COMPANY_ADMIN") });
    expect((await api("POST", "sync/companies", "{oops")).status).toBe(400);
  });

  it("exports a vessel's bundle: company, equipment and the users on board", async () => {
    const v = vessels().find((x) => x.name === "Nordic Fjell")!;
    const r = await api("POST", `sync/export/${v.id}`);
    expect(r.status).toBe(200);
    const { company, vessel, equipment, users } = r.body.data;
    expect(vessel).toEqual(v);
    expect(company).toMatchObject({ id: v.companyId, name: "Nordic Bulk Carriers AS" });
    expect(equipment.length).toBe(20);
    expect(equipment.every((e: OnboardingEquipment) => e.vesselId === v.id)).toBe(true);
    expect(users.map((u: OnboardingUser) => u.role).sort()).toEqual(["CAPTAIN", "CHIEF_ENGINEER", "ENGINEER"]);
    expect(users[0].passwordHash).toMatch(/^\$2b\$10\$/);
    expect((await api("POST", "sync/export/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await api("GET", `sync/export/${v.id}`)).status).toBe(405);
  });

  it("approves a record: status, approvedAt and updatedAt", async () => {
    const v = vessels().find((x) => x.approvalStatus === "submitted")!;
    const r = await api("POST", `sync/vessels/${v.id}/approve`);
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ id: v.id, approvalStatus: "approved", approvedAt: r.body.data.updatedAt });
    expect(r.body.data.updatedAt > v.updatedAt).toBe(true);
    expect((await api("POST", `sync/vessels/${v.id}/approve`)).body.data).toEqual(r.body.data);
    expect((await api("POST", "sync/vessels/00000000-0000-4000-8000-000000000000/approve")).status).toBe(404);
    const back = await api("PATCH", `sync/vessels/${v.id}`, { approvalStatus: "rejected" });
    expect(back.body.data).toMatchObject({ approvalStatus: "rejected", approvedAt: null });
  });

  it("refuses missing or wrong credentials with 401", async () => {
    expect((await fetch(`${app.url}/onboarding/api/sync/companies`)).status).toBe(401);
    const wrong = await apiClient(app.url, "onboarding", "sample-key")("GET", "sync/companies");
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: { message: "unauthorized" } });
  });
});
