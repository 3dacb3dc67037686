import { and, eq, isNotNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INVALID_IMO_VESSEL, MALFORMED_EMAIL_USER, sampleFleet } from "../../demo/data/fleet";
import { auditLog, deliveries, deliveryAttempts, engineEvents, runItems, runs, shownOnceSecrets } from "~/server/db/schema";
import { cliActor } from "~/server/services/actor";
import { listTemporaryPasswords, revealTemporaryPassword } from "~/server/services/fleet/temporary-passwords";
import { runFleetSync } from "../helpers/fleet";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
const fleet = sampleFleet();
const onboarding = () => h.samples.system("onboarding");
const maintenance = () => h.samples.system("maintenance");
const actor = cliActor("fleet-admin");
const approved = <T extends { approvalStatus: string }>(xs: T[]) => xs.filter((x) => x.approvalStatus === "approved");
type Doc = Record<string, unknown>;

/** Runs a whole fleet sync to its end (in order, like the background does) and lets the deliveries land. */
async function fleetSync(kind: "full" | "dry-run" | "validate" = "full") {
  const done = await runFleetSync(h.engine, { scope: "fleet", kind });
  await h.settle({ timeoutMs: 120_000 });
  return Object.fromEntries(done.map((r) => [r.entity, r]));
}

beforeAll(async () => {
  h = await startHarness();
  onboarding().seedSample();
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

describe("a validation-only run of the fleet", () => {
  it("lists every problem with its field and writes nothing", async () => {
    const r = await fleetSync("validate");
    const items = await h.engine.db.select().from(runItems).where(eq(runItems.runId, r.vessel!.id));
    expect(items.map((i) => [i.outcome, i.field])).toContainEqual(["invalid", "imoNumber"]);
    expect(items.find((i) => i.field === "imoNumber")!.error).toMatch(/check digit/);
    const equipment = await h.engine.db.select().from(runItems).where(eq(runItems.runId, r.equipment!.id));
    expect(equipment.filter((i) => i.field === "category")).toHaveLength(3);
    expect(equipment.filter((i) => i.field === "name")).toHaveLength(2);
    const users = await h.engine.db.select().from(runItems).where(eq(runItems.runId, r.user!.id));
    expect(users.map((i) => i.field)).toEqual(["email"]);
    expect(maintenance().requests().filter((q) => q.method !== "GET")).toEqual([]);
    expect(await h.engine.db.select({ n: sql<number>`count(*)::int` }).from(deliveries)).toEqual([{ n: 0 }]);
  }, 120_000);
});

describe("a full fleet sync", () => {
  let first: Awaited<ReturnType<typeof fleetSync>>;
  beforeAll(async () => {
    maintenance().clearRequests();
    first = await fleetSync("full");
  }, 240_000);

  it("brings only approved, valid records to the Maintenance Portal, parents first", () => {
    const approvedCompanies = approved(fleet.companies);
    expect(maintenance().all<Doc>("companies").map((c) => c.registration_no).sort()).toEqual(approvedCompanies.map((c) => c.registrationNumber).sort());
    const invalidVessel = fleet.vessels[INVALID_IMO_VESSEL]!;
    const vessels = maintenance().all<Doc>("vessels");
    expect(vessels.map((v) => v.name)).not.toContain(invalidVessel.name);
    const liveCompanies = new Set(approvedCompanies.map((c) => c.id));
    const expectedVessels = approved(fleet.vessels).filter((v) => liveCompanies.has(v.companyId) && v !== invalidVessel);
    expect(vessels).toHaveLength(expectedVessels.length);
    // Every vessel points at the Maintenance Portal's own id of its company.
    const companyByReg = new Map(maintenance().all<Doc>("companies").map((c) => [c.id, c.registration_no]));
    for (const v of expectedVessels) {
      const m = vessels.find((x) => x.imo === v.imoNumber)!;
      expect(companyByReg.get(m.company_id)).toBe(fleet.companies.find((c) => c.id === v.companyId)!.registrationNumber);
    }
    expect(first.vessel!.counts.failed).toBe(1);
  });

  it("maps onboarding roles to maintenance roles and never sends a password hash", () => {
    const users = maintenance().all<Doc>("users");
    expect(users.length).toBeGreaterThan(30);
    const captain = fleet.users.find((u) => u.role === "CAPTAIN" && u.approvalStatus === "approved" && users.some((m) => m.email === u.email))!;
    expect(users.find((m) => m.email === captain.email)!.role).toBe("master");
    expect(users.every((u) => u.must_change_password === true && u.has_password === true)).toBe(true);
    const bodies = maintenance().requests().map((q) => q.body).join("\n");
    expect(bodies).not.toMatch(/passwordHash|password_hash|\$2[aby]\$/);
    for (const u of fleet.users) expect(bodies).not.toContain(u.passwordHash);
    expect(users.map((u) => u.email)).not.toContain(fleet.users[MALFORMED_EMAIL_USER]!.email);
  });

  it("gives equipment without a QR code a unique one, and writes it back to the Onboarding Portal", () => {
    const equipment = maintenance().all<Doc>("equipment");
    const codes = equipment.map((e) => e.qr_code);
    expect(new Set(codes).size).toBe(codes.length);
    const generated = equipment.filter((e) => String(e.qr_code).startsWith("QR-"));
    expect(generated.length).toBeGreaterThan(50);
    const back = new Map(onboarding().all<Doc>("equipment").map((e) => [e.qrCode, e]));
    for (const e of generated) expect(back.has(e.qr_code)).toBe(true);
  });

  it("keeps each new user's temporary password encrypted until its admin shows it once", async () => {
    const users = maintenance().all<Doc>("users");
    const waiting = await listTemporaryPasswords({ engine: h.engine, actor, input: {} });
    expect(waiting).toHaveLength(users.length);
    const one = waiting[0]!;
    const stranger = { ...actor, label: "someone-else" };
    await expect(revealTemporaryPassword({ engine: h.engine, actor: stranger, input: { id: one.id } })).rejects.toThrow(/already shown, has expired, or is not yours/);
    const { password } = await revealTemporaryPassword({ engine: h.engine, actor, input: { id: one.id } });
    const target = users.find((u) => u.email === one.label || u.full_name === one.label)!;
    expect(maintenance().verifyWriteOnly(target.id as number, "password", password, "users")).toBe(true);
    await expect(revealTemporaryPassword({ engine: h.engine, actor, input: { id: one.id } })).rejects.toThrow(/already shown/);
    const [row] = await h.engine.db.select().from(shownOnceSecrets).where(eq(shownOnceSecrets.id, one.id));
    expect(row!.box).toBeNull();
    const [audited] = await h.engine.db.select().from(auditLog).where(eq(auditLog.action, "fleet.revealTemporaryPassword"));
    expect(audited).toMatchObject({ actorLabel: "fleet-admin", target: `record:${one.recordId}` });
    // Never in clear anywhere Concord writes.
    const everywhere = JSON.stringify([
      await h.engine.db.select().from(shownOnceSecrets).where(isNotNull(shownOnceSecrets.box)),
      await h.engine.db.select().from(deliveryAttempts),
      await h.engine.db.select().from(deliveries),
      await h.engine.db.select().from(engineEvents),
      await h.engine.db.select().from(auditLog),
      await h.engine.db.select().from(runItems),
    ]);
    expect(everywhere).not.toContain(password);
  });

  it("a second fleet sync with nothing changed writes nothing anywhere", async () => {
    maintenance().clearRequests();
    onboarding().clearRequests();
    const again = await fleetSync("full");
    for (const r of Object.values(again)) expect(r.counts, r.entity).toMatchObject({ created: 0, updated: 0, deleted: 0, conflicts: 0 });
    expect(maintenance().requests().filter((q) => q.method !== "GET")).toEqual([]);
    expect(onboarding().requests().length, "the Onboarding Portal was read").toBeGreaterThan(0);
    expect(onboarding().requests().filter((q) => q.method !== "GET")).toEqual([]);
    const groups = await h.engine.db.select({ g: runs.groupId }).from(runs).where(and(eq(runs.system, "onboarding"), eq(runs.kind, "full")));
    expect(new Set(groups.map((g) => g.g)).size).toBe(2);
  }, 240_000);
});
