import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "~/server/db";
import { auditLog, shownOnceSecrets, webhookEvents } from "~/server/db/schema";
import { expireTemporaryPasswords, listTemporaryPasswords, revealTemporaryPassword } from "~/server/services/fleet/temporary-passwords";
import { createRun } from "~/server/services/runs/create-run";
import { executeRun } from "~/server/services/runs/execute-run";
import { runTick } from "~/server/services/schedules/run-tick";
import type { TActor } from "~/server/services/actor";
import { makeUser } from "../../helpers/actors";
import { startHarness, type Harness } from "../../helpers/harness";

let h: Harness;
type Doc = Record<string, unknown>;
const onboarding = () => h.samples.system("onboarding");
const HASHES = ["$2b$12$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0", "$2b$12$0123456789abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOP"];
let admin: TActor;

/** Every row of every table of Concord's, as text (Concord's own `users` aside: its admins' hashes are its own). */
async function everyRowAsText(): Promise<string> {
  const tables = await queryRows<{ name: string }>(h.engine.db, sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
  const out: string[] = [];
  for (const { name } of tables) {
    if (name === "users") continue;
    const rows = await queryRows<{ row: string }>(h.engine.db, sql`select t::text as row from ${sql.identifier(name)} t`);
    out.push(...rows.map((r) => `${name}: ${r.row}`));
  }
  return out.join("\n");
}

beforeAll(async () => {
  h = await startHarness();
  const u = await makeUser(h.engine.db, "second-admin@concord.test", "admin");
  admin = { kind: "user", id: u.id, label: u.email, role: "admin" };
  // Webhook-driven: an approved company and user reach the Maintenance Portal through the intake.
  const company = onboarding().create<Doc>({ name: "Secure Shipping", registrationNumber: "SEC-1", country: "NO", address: "Quay 1", approvalStatus: "approved" }, "companies");
  onboarding().create<Doc>({ companyId: company.id, vesselId: null, email: "hooked@secure.test", fullName: "Hooked User", role: "CREW", passwordHash: HASHES[0], approvalStatus: "approved" }, "users");
  await h.settle({ timeoutMs: 60_000 });
  // Scheduled: a user the portal never announced, found by a run a schedule started.
  onboarding().setConfig({ webhooks: false });
  onboarding().create<Doc>({ companyId: company.id, vesselId: null, email: "scheduled@secure.test", fullName: "Scheduled User", role: "CREW", passwordHash: HASHES[1], approvalStatus: "approved" }, "users");
  onboarding().setConfig({ webhooks: true });
  const run = await createRun(h.engine, { entity: "user", system: "onboarding", kind: "full", trigger: "schedule", startedBy: "schedule" });
  await executeRun(h.engine, run.id);
  await h.settle({ timeoutMs: 60_000 });
}, 180_000);
afterAll(async () => {
  await h?.stop();
});

describe("sensitive data kept no longer than needed", () => {
  it("keeps no password hash in any table after webhook-driven and scheduled fleet syncs", async () => {
    const events = await h.engine.db.select().from(webhookEvents);
    expect(events.some((e) => e.body.includes("hooked@secure.test")), "the user's webhook was stored (and its mapped fields kept)").toBe(true);
    const all = await everyRowAsText();
    expect(all).not.toMatch(/passwordHash|password_hash/);
    expect(all).not.toMatch(/\$2[aby]\$\d\d\$/);
    for (const hash of HASHES) expect(all).not.toContain(hash);
    const users = await queryRows<{ row: string }>(h.engine.db, sql`select u::text as row from users u`);
    for (const hash of HASHES) expect(users.map((r) => r.row).join("\n")).not.toContain(hash);
  });

  it("prunes processed webhook events after the retention, in the tick", async () => {
    const before = await h.engine.db.select({ id: webhookEvents.id }).from(webhookEvents).where(eq(webhookEvents.status, "processed"));
    expect(before.length).toBeGreaterThan(0);
    const day = 86_400_000;
    const soon = await runTick({ engine: h.engine, now: new Date(Date.now() + 6 * day), budgetMs: 10_000, drain: false, webhookRetentionDays: 7 });
    expect(soon.prunedWebhookEvents).toBe(0);
    const later = await runTick({ engine: h.engine, now: new Date(Date.now() + 8 * day), budgetMs: 10_000, drain: false, webhookRetentionDays: 7 });
    expect(later.prunedWebhookEvents).toBe(before.length);
    expect(await h.engine.db.select().from(webhookEvents).where(eq(webhookEvents.status, "processed"))).toHaveLength(0);
  });
});

describe("temporary passwords of syncs no admin ran", () => {
  it("lets any admin reveal a scheduled sync's temporary password once, audited", async () => {
    const waiting = await listTemporaryPasswords({ engine: h.engine, actor: admin, input: {} });
    const scheduled = waiting.find((w) => w.label.includes("scheduled@secure.test") || w.label === "Scheduled User");
    expect(scheduled, "the scheduled sync's temporary password is listed for an admin").toBeDefined();
    const { password } = await revealTemporaryPassword({ engine: h.engine, actor: admin, input: { id: scheduled!.id } });
    expect(password.length).toBeGreaterThanOrEqual(12);
    await expect(revealTemporaryPassword({ engine: h.engine, actor: admin, input: { id: scheduled!.id } })).rejects.toThrow(/already shown/);
    const [audited] = await h.engine.db.select().from(auditLog).where(eq(auditLog.action, "fleet.revealTemporaryPassword"));
    expect(audited).toMatchObject({ actorLabel: admin.label, target: `record:${scheduled!.recordId}` });
    expect(JSON.stringify(audited)).not.toContain(password);
  });

  it("expires one nobody revealed in time", async () => {
    const waiting = await listTemporaryPasswords({ engine: h.engine, actor: admin, input: {} });
    expect(waiting.length).toBeGreaterThan(0);
    await h.engine.db.update(shownOnceSecrets).set({ createdAt: new Date(Date.now() - 8 * 86_400_000) }).where(sql`true`);
    expect(await listTemporaryPasswords({ engine: h.engine, actor: admin, input: {} })).toHaveLength(0);
    await expect(revealTemporaryPassword({ engine: h.engine, actor: admin, input: { id: waiting[0]!.id } })).rejects.toThrow(/expired/);
    expect(await expireTemporaryPasswords(h.engine)).toBe(waiting.length);
    const boxes = await h.engine.db.select({ box: shownOnceSecrets.box }).from(shownOnceSecrets);
    expect(boxes.every((b) => b.box === null)).toBe(true);
  });
});
