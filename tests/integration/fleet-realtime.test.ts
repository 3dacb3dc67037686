import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleFleet, validImo } from "../../demo/data/fleet";
import { deliveries, records } from "~/server/db/schema";
import { runFleetSync } from "../helpers/fleet";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
const fleet = sampleFleet();
const onboarding = () => h.samples.system("onboarding");
const maintenance = () => h.samples.system("maintenance");
type Doc = Record<string, unknown>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function fleetSync(input: Parameters<typeof runFleetSync>[1]) {
  const done = await runFleetSync(h.engine, input);
  await h.settle({ timeoutMs: 120_000 });
  return done;
}
/** Changes made while the Onboarding Portal sends no webhooks: only a run can see them. */
function quietly(fn: () => void) {
  onboarding().setConfig({ webhooks: false });
  try {
    fn();
  } finally {
    onboarding().setConfig({ webhooks: true });
  }
}
const writes = () => maintenance().requests().filter((q) => q.method !== "GET");

beforeAll(async () => {
  h = await startHarness();
  onboarding().seedSample();
  await fleetSync({ scope: "fleet" });
}, 240_000);
afterAll(async () => {
  await h?.stop();
});

describe("approval in the Onboarding Portal, in real time", () => {
  it("an equipment approved before its vessel is blocked by the draft vessel, by name, and lands as soon as the vessel is approved", async () => {
    const company = fleet.companies.find((c) => c.approvalStatus === "approved")!;
    const vessel = onboarding().create<Doc>({ companyId: company.id, name: "MV Late Parent", imoNumber: validImo(123_456), vesselType: "Tanker", flag: "NO", yearBuilt: 2020, grossTonnage: 5000, approvalStatus: "draft" }, "vessels");
    const equipment = onboarding().create<Doc>(
      { vesselId: vessel.id, name: "Ballast pump", category: "Pumps", manufacturer: "Acme", model: "BP-1", serialNumber: "SN-LATE-1", qrCode: null, specifications: {}, maintenanceSchedule: [], criticalParts: [], approvalStatus: "draft" },
      "equipment",
    );
    onboarding().update(equipment.id as string, { approvalStatus: "approved" }, "equipment");
    await h.settle({ timeoutMs: 30_000 });
    const [record] = await h.engine.db.select().from(records).where(sql`${records.data}->>'serialNumber' = 'SN-LATE-1'`);
    expect(record!.data.vessel, "the vessel is not in Concord yet: the reference says where it will come from").toBe(`onboarding:${String(vessel.id)}`);
    const [waiting] = await h.engine.db.select().from(deliveries).where(and(eq(deliveries.recordId, record!.id), eq(deliveries.system, "maintenance")));
    expect(waiting).toMatchObject({ status: "pending", entity: "equipment", attempts: 0, waitingFor: `vessel:onboarding:${String(vessel.id)}` });
    // Concord read the vessel from the portal: a draft does not sync, so the equipment is blocked, naming it.
    expect(waiting!.lastError).toMatch(/^blocked: its vessel MV Late Parent \(\d{7}\) does not sync from Onboarding Portal \(approvalStatus is "draft", not "approved"\)$/);
    expect(waiting!.blocked).toMatchObject({ reason: "not-approved", parent: { entity: "vessel", name: expect.stringContaining("MV Late Parent"), recordId: null, system: "onboarding", externalId: String(vessel.id) } });
    expect(maintenance().all<Doc>("equipment").some((e) => e.serial_no === "SN-LATE-1")).toBe(false);

    const t0 = Date.now();
    onboarding().update(vessel.id as string, { approvalStatus: "approved" }, "vessels");
    let landed: Doc | undefined;
    while (!landed && Date.now() - t0 < 15_000) {
      await sleep(100);
      landed = maintenance().all<Doc>("equipment").find((e) => e.serial_no === "SN-LATE-1");
    }
    expect(landed, "the equipment reached the Maintenance Portal within seconds of its vessel's approval").toBeDefined();
    const mVessel = maintenance().all<Doc>("vessels").find((v) => v.name === "MV Late Parent")!;
    expect(landed!.vessel_id).toBe(mVessel.id);
    await h.settle({ timeoutMs: 30_000 });
    const [after] = await h.engine.db.select().from(deliveries).where(eq(deliveries.id, waiting!.id));
    expect(after).toMatchObject({ status: "succeeded", waitingFor: null, attempts: 0 });
    const [upgraded] = await h.engine.db.select().from(records).where(eq(records.id, record!.id));
    expect(upgraded!.data.vessel, "once the vessel arrived, the reference is its record id").toMatch(/^[0-9a-f-]{36}$/);
  }, 60_000);
});

describe("selective fleet syncs", () => {
  it("one vessel brings exactly its own changed equipment and users, nothing of another vessel", async () => {
    const [x, y] = fleet.vessels.filter((v) => v.approvalStatus === "approved" && maintenance().all<Doc>("vessels").some((m) => m.imo === v.imoNumber));
    const xEquipment = onboarding().all<Doc>("equipment").find((e) => e.vesselId === x!.id && e.approvalStatus === "approved" && e.category)!;
    const yEquipment = onboarding().all<Doc>("equipment").find((e) => e.vesselId === y!.id && e.approvalStatus === "approved" && e.category)!;
    const xUser = onboarding().all<Doc>("users").find((u) => u.vesselId === x!.id && u.approvalStatus === "approved")!;
    quietly(() => {
      onboarding().update(xEquipment.id as string, { model: "X-changed" }, "equipment");
      onboarding().update(yEquipment.id as string, { model: "Y-changed" }, "equipment");
      onboarding().update(xUser.id as string, { fullName: "Changed Name" }, "users");
    });
    maintenance().clearRequests();
    await fleetSync({ scope: "vessel", vessel: x!.imoNumber });
    const changed = writes();
    expect(changed.map((q) => `${q.method} ${q.path.replace(/\d+$/, "N")}`).sort()).toEqual(["PATCH /maintenance/api/equipment/N", "PATCH /maintenance/api/users/N"]);
    expect(maintenance().all<Doc>("equipment").find((e) => e.serial_no === xEquipment.serialNumber)!.model).toBe("X-changed");
    expect(maintenance().all<Doc>("equipment").find((e) => e.serial_no === yEquipment.serialNumber)!.model).not.toBe("Y-changed");
    expect(maintenance().all<Doc>("users").find((u) => u.email === xUser.email)!.full_name).toBe("Changed Name");
  }, 120_000);

  it("a date range brings exactly what changed in it", async () => {
    const since = new Date();
    await sleep(20);
    const some = onboarding().all<Doc>("equipment").filter((e) => e.approvalStatus === "approved" && e.category && e.name).slice(40, 43);
    quietly(() => {
      for (const e of some) onboarding().update(e.id as string, { manufacturer: "Ranged" }, "equipment");
    });
    maintenance().clearRequests();
    const runs = await fleetSync({ scope: "range", since: since.toISOString(), until: new Date(Date.now() + 1000).toISOString() });
    expect(runs.map((r) => r.entity)).toEqual(["company", "vessel", "equipment", "user"]);
    expect(writes()).toHaveLength(3);
    const ranged = maintenance().all<Doc>("equipment").filter((e) => e.manufacturer === "Ranged").map((e) => e.serial_no).sort();
    expect(ranged).toEqual(some.map((e) => e.serialNumber).sort());
    // The one-vessel change above is outside this range: it was not sent again.
    expect(writes().every((q) => q.path.startsWith("/maintenance/api/equipment/"))).toBe(true);
  }, 120_000);
});
