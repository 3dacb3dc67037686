import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { and, eq, gt, max } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSyncError } from "~/sync/errors";
import { signWebhook } from "~/sync/signature";
import { auditLog, systems } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { getConnection } from "~/server/services/connections/get-connection";
import { receiveWebhook } from "~/server/services/webhooks/receive-webhook";
import { callerFor, makeUser, sessionFor } from "../helpers/actors";
import { createTestEngine } from "../helpers/engine";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
/** An engine over the same database without env overrides, so stored settings are the ones in effect. */
let plain: Engine;
let admin: ReturnType<typeof callerFor>;
let viewer: ReturnType<typeof callerFor>;
beforeAll(async () => {
  h = await startHarness();
  plain = await createTestEngine(h.t);
  admin = callerFor(h.t.db, sessionFor(await makeUser(h.t.db, "systems-admin@concord.test", "admin")), plain);
  viewer = callerFor(h.t.db, sessionFor(await makeUser(h.t.db, "systems-viewer@concord.test", "viewer")), plain);
});
afterAll(async () => {
  await h?.stop();
});

async function lastAuditId(): Promise<number> {
  const [row] = await h.t.db.select({ id: max(auditLog.id) }).from(auditLog);
  return row?.id ?? 0;
}
const auditSince = (id: number, action: string) => h.t.db.select().from(auditLog).where(and(gt(auditLog.id, id), eq(auditLog.action, action)));
const rowOf = async (key: string) => (await h.t.db.select().from(systems).where(eq(systems.key, key)))[0]!;
const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof TRPCError ? e.code : String(e)));

async function postSigned(secret: string): Promise<number | string> {
  const id = `msg_${randomUUID()}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({ type: "industry.deleted", timestamp: new Date().toISOString(), data: { id: `gone-${randomUUID()}` } });
  const headers = new Headers({ "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signWebhook({ secret, id, timestamp, body }) });
  try {
    return (await receiveWebhook(h.engine, { system: "cms", body: new TextEncoder().encode(body), headers })).status;
  } catch (err) {
    return isSyncError(err) ? err.code : String(err);
  }
}

describe("systems: connection settings", () => {
  it("lists every configured system with settings, flags and delivery counts, to viewers too", async () => {
    const list = await viewer.systems.list();
    expect(list.map((s) => s.key).sort()).toEqual(["cms", "dashboard", "lead-centre", "maintenance", "onboarding"]);
    const cms = list.find((s) => s.key === "cms")!;
    expect(cms).toMatchObject({ name: "CMS (Payload)", connector: "payload", enabled: true, authSet: false, authMasked: "", webhookSecretsCount: 0 });
    expect(cms.fromEnv).toEqual({ url: false, auth: false, webhookSecret: false });
    expect(Object.keys(cms.deliveries).sort()).toEqual(["cancelled", "dead", "in_flight", "pending", "retrying", "succeeded", "superseded"]);
    expect(await codeOf(viewer.systems.get({ key: "nope" }))).toBe("NOT_FOUND");
    const viaEnv = await callerFor(h.t.db, sessionFor(await makeUser(h.t.db, "env-viewer@concord.test", "viewer")), h.engine).systems.get({ key: "cms" });
    expect(viaEnv.fromEnv).toEqual({ url: true, auth: true, webhookSecret: true });
    expect(viaEnv.authMasked).toMatch(/^••••/);
    expect(JSON.stringify(viaEnv)).not.toContain(h.samples.apiKey);
  });

  it("update changes only the given fields, validates them, and audits before → after", async () => {
    const before = await admin.systems.get({ key: "lead-centre" });
    const since = await lastAuditId();
    const after = await admin.systems.update({ key: "lead-centre", timeoutMs: 4_321, baseUrl: "https://leads.example.test/" });
    expect(after).toMatchObject({ timeoutMs: 4_321, storedBaseUrl: "https://leads.example.test/", baseUrl: "https://leads.example.test" });
    expect(after.rateLimitPerSecond).toBe(before.rateLimitPerSecond);
    expect(after.retrySchedule).toEqual(before.retrySchedule);
    const [audit] = await auditSince(since, "systems.update");
    expect(audit!.before).toMatchObject({ timeoutMs: before.timeoutMs, baseUrl: before.storedBaseUrl });
    expect(audit!.after).toMatchObject({ timeoutMs: 4_321, baseUrl: "https://leads.example.test/" });
    expect(audit!.target).toBe("system:lead-centre");

    const bad = [{ baseUrl: "ftp://x.test" }, { baseUrl: "https://user:pw@x.test" }, { rateLimitPerSecond: 0 }, { rateLimitPerSecond: 10_001 }, { timeoutMs: 99 }, { retrySchedule: { delaysSeconds: [-1] } }];
    for (const patch of bad) expect([patch, await codeOf(admin.systems.update({ key: "lead-centre", ...patch }))]).toEqual([patch, "BAD_REQUEST"]);
    expect(await codeOf(admin.systems.update({ key: "nope", enabled: true }))).toBe("NOT_FOUND");
    expect(await admin.systems.get({ key: "lead-centre" })).toMatchObject({ timeoutMs: 4_321, rateLimitPerSecond: before.rateLimitPerSecond });
  });

  it("keeps a credential encrypted and write-only; audits it as [set] / [cleared]", async () => {
    const value = "Bearer super-secret-credential-7f3a9c";
    const since = await lastAuditId();
    const view = await admin.systems.setCredential({ key: "cms", value });
    expect(view).toMatchObject({ authSet: true, authMasked: "••••3a9c" });
    const row = await rowOf("cms");
    expect(row.authEncrypted).toBeTruthy();
    expect(row.authEncrypted).not.toContain("super-secret");
    expect((await getConnection(plain, "cms")).auth).toBe(value);
    const shown = JSON.stringify([await admin.systems.list(), await admin.systems.get({ key: "cms" })]);
    expect(shown).not.toContain("super-secret");
    expect(await codeOf(admin.systems.setCredential({ key: "cms", value: "Bearer a\r\nX-Evil: 1" }))).toBe("BAD_REQUEST");

    const cleared = await admin.systems.setCredential({ key: "cms", value: "" });
    expect(cleared).toMatchObject({ authSet: false, authMasked: "" });
    expect((await rowOf("cms")).authEncrypted).toBeNull();
    const audits = await auditSince(since, "systems.setCredential");
    expect(audits.map((a) => a.after)).toEqual([{ value: "[set]" }, { value: "[cleared]" }]);
    expect(JSON.stringify(audits)).not.toContain("super-secret");
  });

  it("rotates the webhook secret: shown once, stored encrypted, the previous one still verifies, at most two", async () => {
    const since = await lastAuditId();
    const r1 = await admin.systems.rotateWebhookSecret({ key: "cms" });
    const r2 = await admin.systems.rotateWebhookSecret({ key: "cms" });
    expect(r1.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(r2.secret).not.toBe(r1.secret);
    expect(r2.system.webhookSecretsCount).toBe(2);
    const stored = (await rowOf("cms")).webhookSecretsEncrypted!;
    for (const s of [r1.secret, r2.secret]) {
      expect(stored).not.toContain(s.slice(6, 30));
      const shown = JSON.stringify([await admin.systems.list(), await admin.systems.get({ key: "cms" }), await auditSince(since, "systems.rotateWebhookSecret")]);
      expect(shown).not.toContain(s.slice(6, 30));
    }
    expect(await auditSince(since, "systems.rotateWebhookSecret")).toHaveLength(2);

    expect(await postSigned(r1.secret)).toBe(202);
    expect(await postSigned(r2.secret)).toBe(202);
    expect(await postSigned(`whsec_${Buffer.alloc(32, 7).toString("base64")}`)).toBe("UNAUTHORIZED");

    const r3 = await admin.systems.rotateWebhookSecret({ key: "cms" });
    expect(r3.system.webhookSecretsCount).toBe(2);
    expect(await postSigned(r1.secret)).toBe("UNAUTHORIZED");
    expect(await postSigned(r2.secret)).toBe(202);

    const trimmed = await admin.systems.removeOldWebhookSecrets({ key: "cms" });
    expect(trimmed.webhookSecretsCount).toBe(1);
    expect(await postSigned(r2.secret)).toBe("UNAUTHORIZED");
    expect(await postSigned(r3.secret)).toBe(202);
    expect(await auditSince(since, "systems.removeOldWebhookSecrets")).toHaveLength(1);
    await h.settle();
  });
});

describe("systems: enabled", () => {
  it("a disabled system receives nothing and its deliveries wait; re-enabled, they go", async () => {
    await admin.systems.update({ key: "cms", enabled: false });
    const doc = h.samples.system("dashboard").create({ name: "Paused Co", slug: "paused-co", description: "Waits.", is_active: true });
    const deadline = Date.now() + 10_000;
    while (!h.samples.system("lead-centre").all().some((d) => d.slug === "paused-co")) {
      if (Date.now() > deadline) throw new Error("the Lead Centre never got the record");
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 1_500));
    const waiting = await admin.deliveries.list({ system: "cms", status: ["pending"] });
    expect(waiting.total).toBe(1);
    expect(waiting.items[0]).toMatchObject({ attempts: 0, attemptCount: 0 });
    expect((await admin.systems.get({ key: "cms" })).deliveries.pending).toBe(1);
    expect(h.samples.system("cms").all().some((d) => d.slug === "paused-co")).toBe(false);

    await admin.systems.update({ key: "cms", enabled: true });
    await h.settle();
    expect(h.samples.system("cms").all().find((d) => d.slug === "paused-co")).toMatchObject({ name: "Paused Co" });
    expect((await admin.deliveries.get({ id: waiting.items[0]!.id })).delivery.status).toBe("succeeded");
    expect(h.samples.system("dashboard").get(doc.id)!.cms_id).toBeTruthy();
  });
});
