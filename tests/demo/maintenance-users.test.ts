import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSampleSystems, type MaintenanceUser, type SampleSystems } from "../../demo/server";
import { apiClient, getJson, startReceiver, type ApiClient, type Receiver } from "./helpers";

let app: SampleSystems;
let api: ApiClient;
let receiver: Receiver;
let companyId: number;
const sys = () => app.system("maintenance");
const PASSWORD = "correct horse battery";

beforeAll(async () => {
  receiver = await startReceiver();
  app = await startSampleSystems({ port: 0, concordUrl: receiver.url });
  api = apiClient(app.url, "maintenance");
});
afterAll(async () => {
  await app.close();
  await receiver.close();
});
beforeEach(async () => {
  sys().reset();
  receiver.received.length = 0;
  companyId = (await api("POST", "companies", { name: "Nordic Bulk", registration_no: "NO-1" })).body.id;
});

const newUser = (extra: object = {}) => api("POST", "users", { company_id: companyId, email: "m@nordic.no", full_name: "Mia", role: "master", ...extra });

describe("maintenance users: write-only passwords", () => {
  it("keeps a password only as a hash: never returned, listed, shown or sent", async () => {
    const created = await newUser({ password: PASSWORD, must_change_password: false });
    expect(created.status).toBe(201);
    const user: MaintenanceUser = created.body;
    expect(user).toMatchObject({ has_password: true, must_change_password: false });
    expect(user).not.toHaveProperty("password");
    expect(sys().verifyWriteOnly(user.id, "password", PASSWORD, "users")).toBe(true);
    expect(sys().verifyWriteOnly(user.id, "password", "wrong password", "users")).toBe(false);

    const seen = [
      JSON.stringify((await api("GET", `users/${user.id}`)).body),
      JSON.stringify((await api("GET", "users")).body),
      JSON.stringify(await getJson(`${app.url}/maintenance/_all`)),
      await (await fetch(`${app.url}/maintenance/?c=users`)).text(),
    ];
    await sys().webhooksIdle();
    seen.push(...receiver.received.map((h) => h.body));
    for (const text of seen) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain("scrypt$");
      expect(text).not.toMatch(/"password"/);
    }
    expect(seen[3]).toContain("Has password");

    expect((await api("PATCH", `users/${user.id}`, { has_password: false, full_name: "Mia K" })).body.has_password).toBe(true);
    const cleared = await api("PATCH", `users/${user.id}`, { password: null });
    expect(cleared.body.has_password).toBe(false);
    expect(sys().verifyWriteOnly(user.id, "password", PASSWORD, "users")).toBe(false);
    await api("PATCH", `users/${user.id}`, { password: "a new password" });
    expect(sys().verifyWriteOnly(user.id, "password", "a new password", "users")).toBe(true);
    expect(await api("PATCH", `users/${user.id}`, { password: "short" })).toMatchObject({ status: 422, body: { field: "password" } });
    expect((await newUser({ email: "n@nordic.no" })).body.has_password).toBe(false);
  });

  it("refuses another system's password hash with 422 naming the field, and changes nothing", async () => {
    const camel = await newUser({ passwordHash: "$2b$10$abcdefghijklmnopqrstuv" });
    expect(camel).toMatchObject({ status: 422, body: { field: "passwordHash" } });
    expect(camel.body.error).toMatch(/hash/i);
    expect(await newUser({ password_hash: "$2b$10$abc" })).toMatchObject({ status: 422, body: { field: "password_hash" } });
    expect(sys().stats().collections.users).toBe(0);
    const ok = (await newUser()).body;
    expect(await api("PATCH", `users/${ok.id}`, { passwordHash: "$2b$10$abc", full_name: "Changed" })).toMatchObject({ status: 422, body: { field: "passwordHash" } });
    expect(sys().get<MaintenanceUser>(ok.id, "users")!.full_name).toBe("Mia");
  });
});

describe("maintenance request recording", () => {
  it("records every request as received, with a reset", async () => {
    sys().clearRequests();
    await newUser({ passwordHash: "$2b$10$refused" });
    await api("GET", "users?limit=5");
    await apiClient(app.url, "maintenance", "wrong-key")("POST", "companies", { name: "Sneaky" });
    await api("POST", "companies", "{not json");
    sys().setFaults({ errorRate: 1 });
    await api("PATCH", "companies/1", { country: "NO" });
    sys().setFaults({ errorRate: 0 });

    const seen = sys().requests();
    expect(seen.map((r) => `${r.method} ${r.path}${r.query}`)).toEqual([
      "POST /maintenance/api/users",
      "GET /maintenance/api/users?limit=5",
      "POST /maintenance/api/companies",
      "POST /maintenance/api/companies",
      "PATCH /maintenance/api/companies/1",
    ]);
    expect(JSON.parse(seen[0]!.body)).toMatchObject({ passwordHash: "$2b$10$refused" });
    expect(seen.map((r) => r.body.length > 0)).toEqual([true, false, true, true, true]);
    expect(seen[3]!.body).toBe("{not json");
    expect(seen.some((r) => r.body.includes("$2b$"))).toBe(true);

    const over = await getJson(`${app.url}/maintenance/_requests`);
    expect(over.total).toBe(5);
    expect(over.requests).toEqual(seen);
    const cleared = await (await fetch(`${app.url}/maintenance/_requests`, { method: "DELETE" })).json();
    expect(cleared).toEqual({ total: 0, requests: [] });
    await api("GET", "companies");
    expect(sys().requests().length).toBe(1);
    sys().reset();
    expect(sys().requests()).toEqual([]);
    // only systems that ask for it record requests
    expect((await fetch(`${app.url}/dashboard/_requests`)).status).toBe(404);
    expect(app.system("dashboard").requests()).toEqual([]);
  });
});

describe("maintenance HTML UI", () => {
  it("lists each collection; references are checked from the UI too", async () => {
    const html = await (await fetch(`${app.url}/maintenance/?c=companies`)).text();
    expect(html).toContain("<title>Sample Maintenance Portal — companies</title>");
    for (const c of ["companies", "vessels", "equipment", "users"]) expect(html).toContain(`href="/maintenance/?c=${c}"`);
    expect(html).toContain("Nordic Bulk");
    const body = new URLSearchParams({ company_id: "99", name: "Ghost", imo: "9000003" });
    const res = await fetch(`${app.url}/maintenance/ui/vessels/create`, { method: "POST", body, redirect: "manual" });
    expect(decodeURIComponent(res.headers.get("location")!)).toContain("error=company_id: Does not exist.");
    const del = await fetch(`${app.url}/maintenance/ui/companies/${companyId}/delete`, { method: "POST", redirect: "manual" });
    expect(decodeURIComponent(del.headers.get("location")!)).toContain("ok=Deleted");
  });
});
