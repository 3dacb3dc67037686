import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INVALID_IMO_VESSEL, sampleFleet, validImo } from "../../demo/data/fleet";
import { deliveries, records, systems } from "~/server/db/schema";
import { cliActor } from "~/server/services/actor";
import { replayDelivery } from "~/server/services/deliveries/replay-delivery";
import { getFleetGroup } from "~/server/services/fleet/get-fleet-group";
import { runFleetSync } from "../helpers/fleet";
import { until } from "../helpers/poll";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
const fleet = sampleFleet();
const onboarding = () => h.samples.system("onboarding");
const maintenance = () => h.samples.system("maintenance");
type Doc = Record<string, unknown>;
const REJECTED_VESSEL = fleet.vessels.findIndex((v) => v.approvalStatus === "rejected");

/** Approved, valid children of a vessel in the sample data: what its fixing or approval should bring. */
function childrenOf(vesselIndex: number) {
  const vessel = fleet.vessels[vesselIndex]!;
  const equipment = fleet.equipment.filter((e) => e.vesselId === vessel.id && e.approvalStatus === "approved" && e.category && e.name);
  const users = fleet.users.filter((u) => u.vesselId === vessel.id && u.approvalStatus === "approved" && u.email.includes("@"));
  return { vessel, equipment, users };
}

beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

describe("a child that arrives before its parent", () => {
  it("makes Concord read the parent (and its company) from the Onboarding Portal: an approval on a fresh install lands with no run", async () => {
    // A fresh install: the portal holds the sample fleet, Concord has read nothing and no run has happened.
    onboarding().setConfig({ webhooks: false });
    onboarding().seedSample();
    onboarding().setConfig({ webhooks: true });
    const draft = fleet.vessels.find((v) => v.approvalStatus === "draft" && fleet.companies.find((c) => c.id === v.companyId)!.approvalStatus === "approved")!;
    const company = fleet.companies.find((c) => c.id === draft.companyId)!;
    expect(maintenance().all<Doc>("companies")).toHaveLength(0);

    onboarding().update(draft.id, { approvalStatus: "approved" }, "vessels");
    const landed = await until("the vessel is in the Maintenance Portal", () => maintenance().all<Doc>("vessels").find((v) => v.imo === draft.imoNumber), 20_000);
    const mCompany = maintenance().all<Doc>("companies").find((c) => c.registration_no === company.registrationNumber);
    expect(mCompany, "its company was read from the Onboarding Portal and delivered first").toBeDefined();
    expect(landed.company_id).toBe(mCompany!.id);
    // Nothing else was brought along: only the parent the vessel needed.
    expect(maintenance().all<Doc>("companies")).toHaveLength(1);
    expect(maintenance().all<Doc>("vessels")).toHaveLength(1);
  }, 60_000);
});

describe("a fleet sync whose children have an invalid or rejected parent", () => {
  let groupId: string;
  beforeAll(async () => {
    // The Maintenance Portal is switched off while the runs read, so the group is seen delivering, not done.
    await h.engine.db.update(systems).set({ enabled: false }).where(eq(systems.key, "maintenance"));
    const done = await runFleetSync(h.engine, { scope: "fleet" });
    groupId = done[0]!.groupId!;
  }, 240_000);

  it("is not done while what it queued is still on its way, even though every run has ended", async () => {
    const group = await getFleetGroup(h.engine, { groupId });
    expect(group.runs.map((r) => r.run.status)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded"]);
    expect(group.state).toBe("delivering");
    expect(group.totals.waiting).toBeGreaterThan(0);
    expect(group.totals.read).toBe(fleet.companies.length + fleet.vessels.length + fleet.equipment.length + fleet.users.length);
  });

  it("is done once every approved, valid record is in the Maintenance Portal, and names each blocked child's parent and reason", async () => {
    await h.engine.db.update(systems).set({ enabled: true }).where(eq(systems.key, "maintenance"));
    await h.settle({ timeoutMs: 180_000 });
    const group = await until("the group is done", async () => {
      const g = await getFleetGroup(h.engine, { groupId });
      return g.state === "done" ? g : null;
    });
    const invalid = childrenOf(INVALID_IMO_VESSEL);
    const rejected = childrenOf(REJECTED_VESSEL);
    const blockedCount = invalid.equipment.length + invalid.users.length + rejected.users.length;
    expect(group.totals).toMatchObject({ waiting: 0, blocked: blockedCount, dead: 0 });
    expect(group.blocked).toHaveLength(blockedCount);

    const byReason = (reason: string) => group.blocked.filter((b) => b.reason === reason);
    expect(byReason("invalid")).toHaveLength(invalid.equipment.length + invalid.users.length);
    for (const b of byReason("invalid")) {
      expect(b.parent).toMatchObject({ entity: "vessel", system: "onboarding", externalId: invalid.vessel.id, recordId: null });
      expect(b.parent.name).toContain(invalid.vessel.name);
      expect(b.message).toContain(`its vessel ${invalid.vessel.name}`);
      expect(b.message).toMatch(/failed validation .*imoNumber/);
      // The parent never reached Concord: the link goes to the vessel run's item, which says why.
      expect(b.parentItem).toEqual({ runId: group.runs.find((r) => r.run.entity === "vessel")!.run.id, externalId: invalid.vessel.id });
    }
    expect(byReason("not-approved")).toHaveLength(rejected.users.length);
    for (const b of byReason("not-approved")) {
      expect(b.parent.name).toContain(rejected.vessel.name);
      expect(b.message).toMatch(/approvalStatus is "rejected"/);
    }
    // Reasons name the parent, never a raw `onboarding:<id>` reference.
    const pending = await h.engine.db.select({ lastError: deliveries.lastError }).from(deliveries).where(eq(deliveries.status, "pending"));
    for (const d of pending) expect(d.lastError).not.toMatch(/onboarding:[0-9a-f-]{8}/);

    // Done means the Maintenance Portal holds every approved, valid record whose parents are approved and valid.
    expect(maintenance().all<Doc>("equipment").some((e) => invalid.equipment.some((x) => x.serialNumber === e.serial_no))).toBe(false);
    expect(group.totals.delivered).toBeGreaterThan(400);
  }, 240_000);

  it("a blocked child goes as soon as its parent is fixed in the Onboarding Portal", async () => {
    const invalid = childrenOf(INVALID_IMO_VESSEL);
    onboarding().update(invalid.vessel.id, { imoNumber: validImo(887_001) }, "vessels");
    await until(
      "the fixed vessel's equipment is in the Maintenance Portal",
      () => maintenance().all<Doc>("equipment").filter((e) => invalid.equipment.some((x) => x.serialNumber === e.serial_no)).length === invalid.equipment.length,
    );
    const rejected = childrenOf(REJECTED_VESSEL);
    onboarding().update(rejected.vessel.id, { approvalStatus: "approved" }, "vessels");
    await until("the approved vessel's users are in the Maintenance Portal", () => rejected.users.every((u) => maintenance().all<Doc>("users").some((m) => m.email === u.email)));
    await h.settle({ timeoutMs: 60_000 });
    const group = await getFleetGroup(h.engine, { groupId });
    expect(group).toMatchObject({ state: "done", blocked: [] });
    expect(group.totals.blocked).toBe(0);
    const stillBlocked = await h.engine.db.select().from(deliveries).where(and(eq(deliveries.status, "pending"), sql`${deliveries.blocked} is not null`));
    expect(stillBlocked).toEqual([]);
  }, 120_000);
});

describe("a child whose parent could not be delivered", () => {
  it("is blocked naming the parent whose delivery is dead, and goes once that delivery is replayed", async () => {
    // Failures go dead at once here, and the Maintenance Portal is down while the company is sent.
    await h.engine.db.update(systems).set({ retrySchedule: { delaysSeconds: [], jitter: 0 } }).where(eq(systems.key, "maintenance"));
    maintenance().setFaults({ down: true });
    const company = onboarding().create<Doc>({ name: "Dead Letter Shipping AS", registrationNumber: "NO-DEAD-0001", country: "NO", address: "1 Quay Street, Bergen", approvalStatus: "approved" }, "companies");
    const companyRecord = await until("the company's delivery is dead", async () => {
      const [r] = await h.engine.db.select().from(records).where(and(eq(records.entity, "company"), eq(records.naturalKey, "NO-DEAD-0001")));
      if (!r) return null;
      const [d] = await h.engine.db.select().from(deliveries).where(and(eq(deliveries.recordId, r.id), eq(deliveries.system, "maintenance"), eq(deliveries.status, "dead")));
      return d ? { record: r, delivery: d } : null;
    });
    maintenance().setFaults({ down: false });

    const imo = validImo(887_002);
    onboarding().create<Doc>({ companyId: company.id, name: "MV Behind The Dead", imoNumber: imo, vesselType: "Tanker", flag: "NO", yearBuilt: 2019, grossTonnage: 4000, approvalStatus: "approved" }, "vessels");
    const blocked = await until("the vessel's delivery is blocked", async () => {
      const rows = await h.engine.db
        .select()
        .from(deliveries)
        .innerJoin(records, eq(records.id, deliveries.recordId))
        .where(and(eq(records.naturalKey, imo), eq(deliveries.system, "maintenance"), eq(deliveries.status, "pending"), sql`${deliveries.blocked} is not null`));
      return rows[0]?.deliveries ?? null;
    });
    expect(blocked.blocked).toEqual({ reason: "dead", parent: { entity: "company", name: "Dead Letter Shipping AS (NO-DEAD-0001)", recordId: companyRecord.record.id, system: null, externalId: null } });
    expect(blocked.lastError).toMatch(/^blocked: its company Dead Letter Shipping AS \(NO-DEAD-0001\) could not be delivered to Maintenance Portal \(its delivery is dead: .+\); replay it to let this go$/);
    expect(maintenance().all<Doc>("vessels").some((v) => v.imo === imo)).toBe(false);

    await replayDelivery({ engine: h.engine, actor: cliActor("fleet-admin"), input: { id: Number(companyRecord.delivery.id) } });
    await until("the vessel is in the Maintenance Portal", () => maintenance().all<Doc>("vessels").some((v) => v.imo === imo));
    // The portal holds it once the request is answered; the delivery is marked a moment later.
    const after = await until("the vessel's delivery to finish", async () => {
      const [row] = await h.engine.db.select().from(deliveries).where(eq(deliveries.id, blocked.id));
      return row && row.status !== "in_flight" && row.status !== "pending" ? row : null;
    });
    expect(after).toMatchObject({ status: "succeeded", attempts: 0 });
  }, 60_000);
});
