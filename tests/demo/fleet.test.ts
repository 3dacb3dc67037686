import { describe, expect, it } from "vitest";
import { fleetId, imoCheckDigit, invalidImo, isValidImo, sampleFleet, synthetic, validImo, type Fleet } from "../../demo/data/fleet";
import { maintenanceFleet } from "../../demo/systems/maintenance-data";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const count = <T extends { approvalStatus: string }>(xs: T[]) =>
  xs.reduce<Record<string, number>>((m, x) => ({ ...m, [x.approvalStatus]: (m[x.approvalStatus] ?? 0) + 1 }), {});

function expectConsistent(f: Fleet): void {
  const companies = new Set(f.companies.map((c) => c.id));
  const vessels = new Set(f.vessels.map((v) => v.id));
  for (const v of f.vessels) expect(companies.has(v.companyId)).toBe(true);
  for (const e of f.equipment) expect(vessels.has(e.vesselId)).toBe(true);
  for (const u of f.users) {
    expect(companies.has(u.companyId)).toBe(true);
    if (u.vesselId !== null) expect(vessels.has(u.vesselId)).toBe(true);
  }
  for (const list of [f.companies, f.vessels, f.equipment, f.users]) {
    expect(new Set(list.map((d) => d.id)).size).toBe(list.length);
    for (const d of list) {
      expect(d.id).toMatch(UUID);
      expect(Date.parse(d.updatedAt)).toBeGreaterThanOrEqual(Date.parse(d.createdAt));
      expect(d.approvedAt === null).toBe(d.approvalStatus !== "approved");
    }
  }
  const qr = f.equipment.map((e) => e.qrCode).filter((q) => q !== null);
  expect(new Set(qr).size).toBe(qr.length);
  expect(new Set(f.users.map((u) => u.email)).size).toBe(f.users.length);
  expect(new Set(f.companies.map((c) => c.registrationNumber)).size).toBe(f.companies.length);
  expect(new Set(f.vessels.map((v) => v.imoNumber)).size).toBe(f.vessels.length);
}

describe("IMO numbers", () => {
  it("computes and checks the check digit", () => {
    expect(imoCheckDigit("907472")).toBe(9);
    expect(isValidImo("9074729")).toBe(true);
    expect(isValidImo("9074728")).toBe(false);
    expect(isValidImo("907472")).toBe(false);
    expect(isValidImo("90747290")).toBe(false);
    expect(validImo(0)).toBe("9000003");
    const many = Array.from({ length: 5000 }, (_, i) => validImo(i * 179));
    expect(new Set(many).size).toBe(5000);
    for (const imo of many) expect(isValidImo(imo)).toBe(true);
    expect(isValidImo(invalidImo(42))).toBe(false);
    expect(() => validImo(900_000)).toThrow(RangeError);
  });
});

describe("sample fleet", () => {
  it("has the documented shape, statuses and flaws", () => {
    const f = sampleFleet();
    expectConsistent(f);
    expect(f.companies.length).toBe(4);
    expect(count(f.companies)).toEqual({ approved: 3, submitted: 1 });
    expect(f.vessels.length).toBe(20);
    expect(count(f.vessels).approved).toBe(14);
    const badImo = f.vessels.filter((v) => !isValidImo(v.imoNumber));
    expect(badImo.map((v) => [v.name, v.approvalStatus])).toEqual([["Straits Jade", "approved"]]);
    expect(f.equipment.length).toBe(400);
    expect(f.equipment.filter((e) => e.qrCode === null).length).toBe(200);
    const broken = f.equipment.filter((e) => e.category === null || e.name === "");
    expect(broken.length).toBe(5);
    for (const e of broken) expect(e.approvalStatus).toBe("approved");
    expect(f.users.length).toBe(60);
    expect(count(f.users)).toEqual({ approved: 50, submitted: 10 });
    const malformed = f.users.filter((u) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(u.email));
    expect(malformed.map((u) => u.approvalStatus)).toEqual(["approved"]);
    for (const u of f.users) expect(u.passwordHash).toMatch(/^\$2b\$10\$[./A-Za-z0-9]{53}$/);
    const e = f.equipment[0]!;
    expect(e.specifications).toMatchObject({ power_kw: expect.any(Number), rpm: expect.any(Number) });
    expect(e.maintenanceSchedule[0]).toEqual({ task: expect.any(String), intervalDays: expect.any(Number) });
    expect(e.criticalParts[0]).toEqual({ partNumber: expect.any(String), name: expect.any(String), quantity: expect.any(Number) });
  });

  it("is deterministic", () => {
    expect(sampleFleet()).toEqual(sampleFleet());
    expect(fleetId("vessel:0")).toBe(sampleFleet().vessels[0]!.id);
  });
});

describe("synthetic fleet", () => {
  it("makes n vessels with 20 equipment and 3 users each, unique by offset", () => {
    const f = synthetic(25, 5);
    expect([f.companies.length, f.vessels.length, f.equipment.length, f.users.length]).toEqual([3, 25, 500, 75]);
    expectConsistent(f);
    for (const v of f.vessels) expect(isValidImo(v.imoNumber)).toBe(true);
    expect(f.equipment.filter((e) => e.qrCode === null).length).toBe(250);
    expect(Object.keys(count(f.vessels))).toEqual(["approved"]);

    const whole = synthetic(30, 0);
    const parts = [synthetic(5, 0), f];
    expect(parts.flatMap((p) => p.vessels)).toEqual(whole.vessels);
    expect(parts.flatMap((p) => p.equipment)).toEqual(whole.equipment);
    expect(parts.flatMap((p) => p.users)).toEqual(whole.users);
    // a batch starting mid-company repeats that company with the same id
    expect(f.companies[0]).toEqual(whole.companies[0]);
  });

  it("maps to the Maintenance Portal's shape with integer ids and references", () => {
    const m = maintenanceFleet(synthetic(12, 8), 8);
    expect(m.vessels!.map((v) => v.id)).toEqual(Array.from({ length: 12 }, (_, k) => 9 + k));
    expect(m.companies!.map((c) => c.id)).toEqual([1, 2]);
    expect(m.equipment![0]).toMatchObject({ id: 161, vessel_id: 9, qr_code: expect.any(String), specs: expect.any(Object) });
    expect(m.users![0]).toMatchObject({ id: 25, company_id: 1, vessel_id: 9, role: "master", has_password: false });
    const ids = new Set(m.vessels!.map((v) => v.id));
    for (const e of m.equipment!) expect(ids.has(e.vessel_id as number)).toBe(true);
    expect(new Set(m.equipment!.map((e) => e.qr_code)).size).toBe(240);
  });
});
