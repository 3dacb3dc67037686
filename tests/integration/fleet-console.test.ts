import { and, eq, inArray, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, deliveries, links, records, shownOnceSecrets } from "~/server/db/schema";
import { cliActor } from "~/server/services/actor";
import { exportTemporaryPasswords } from "~/server/services/fleet/export-temporary-passwords";
import { listTemporaryPasswords, revealTemporaryPassword } from "~/server/services/fleet/temporary-passwords";
import { getRecordDetail } from "~/server/services/records/get-record-detail";
import { runFleetSync } from "../helpers/fleet";
import { startHarness, type Harness } from "../helpers/harness";
import { until } from "../helpers/poll";

let h: Harness;
const actor = cliActor("fleet-admin");
const maintenance = () => h.samples.system("maintenance");
type Doc = Record<string, unknown>;

beforeAll(async () => {
  h = await startHarness();
  h.samples.system("onboarding").seedSample();
  await runFleetSync(h.engine, { scope: "fleet", kind: "full" });
  await h.settle({ timeoutMs: 120_000 });
  // Every user's create that can go has gone (quiet three polls running: a child woken by its parent landing
  // counts as going), so no password arrives during the test; those parked for an invalid parent stay parked.
  let quiet = 0; // three polls in a row with nothing going
  await until(
    "the user deliveries to finish",
    async () => {
      const going = await h.engine.db
        .select({ id: deliveries.id })
        .from(deliveries)
        .where(and(eq(deliveries.entity, "user"), inArray(deliveries.status, ["pending", "retrying", "in_flight"]), isNull(deliveries.waitingFor)))
        .limit(1);
      quiet = going.length ? 0 : quiet + 1;
      return quiet >= 3;
    },
    120_000,
    100,
  );
}, 300_000);
afterAll(async () => {
  await h?.stop();
});

/** A minimal reader of the CSV Concord writes (every cell quoted, "" for a quote). */
const parseCsv = (csv: string) => csv.trim().split("\r\n").map((line) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replace(/""/g, '"')));

describe("the fleet in the console: temporary passwords as one CSV, references by name", () => {
  it("holds every password still to show (name, email, password), each verified by the portal; then they are gone, audited", async () => {
    const waiting = await listTemporaryPasswords({ engine: h.engine, actor, input: {} });
    expect(waiting.length).toBeGreaterThan(1);
    const runId = waiting[0]!.runId!;
    const ofRun = waiting.filter((w) => w.runId === runId);
    await expect(exportTemporaryPasswords({ engine: h.engine, actor: { ...actor, label: "someone-else" }, input: { runId } })).rejects.toThrow(/No temporary password/);

    const { csv, count, filename } = await exportTemporaryPasswords({ engine: h.engine, actor, input: { runId } });
    expect(filename).toMatch(/^temporary-passwords-[0-9a-f]{8}\.csv$/);
    const [header, ...rows] = parseCsv(csv);
    expect(header).toEqual(["name", "email", "password"]);
    expect(count).toBe(ofRun.length);
    expect(rows).toHaveLength(ofRun.length);
    const users = maintenance().all<Doc>("users");
    for (const [name, email, password] of rows) {
      const user = users.find((u) => u.email === email)!;
      expect(user.full_name).toBe(name);
      expect(maintenance().verifyWriteOnly(user.id as number, "password", password!, "users"), `the portal takes ${String(email)}'s password`).toBe(true);
    }
    // Gone: every box it held is empty, none can be shown again, and each reveal plus the export is audited.
    const boxes = await h.engine.db.select({ box: shownOnceSecrets.box }).from(shownOnceSecrets).where(inArray(shownOnceSecrets.id, ofRun.map((w) => w.id)));
    expect(boxes.filter((b) => b.box !== null), "boxes left after the export").toEqual([]);
    await expect(revealTemporaryPassword({ engine: h.engine, actor, input: { id: ofRun[0]!.id } })).rejects.toThrow(/already shown/);
    expect(await h.engine.db.select().from(auditLog).where(eq(auditLog.action, "fleet.revealTemporaryPassword"))).toHaveLength(ofRun.length);
    const [exported] = await h.engine.db.select().from(auditLog).where(eq(auditLog.action, "fleet.exportTemporaryPasswords"));
    expect(exported).toMatchObject({ actorLabel: "fleet-admin", target: `run:${runId}`, after: { count: ofRun.length } });
    expect(JSON.stringify(await h.engine.db.select().from(auditLog))).not.toContain(rows[0]![2]!);
  });

  it("shows a vessel's company by name, with each system's own id for it (not Concord's record id)", async () => {
    const [link] = await h.engine.db.select().from(links).where(and(eq(links.system, "maintenance"), eq(links.entity, "vessel"))).limit(1);
    const detail = await getRecordDetail({ db: h.engine.db, config: h.engine.config, input: { id: link!.recordId }, tombstoneDays: 30 });
    const company = detail.references.company!;
    const [parent] = await h.engine.db.select().from(records).where(eq(records.id, company.recordId!));
    expect(company).toMatchObject({ entity: "company", name: parent!.data.name });
    const portalVessel = maintenance().all<Doc>("vessels").find((v) => String(v.id) === link!.externalId)!;
    expect(company.ids.maintenance).toBe(String(portalVessel.company_id));
    expect(company.ids.onboarding).toBeTruthy();
    expect(company.ids.maintenance).not.toBe(company.recordId);
  });
});
