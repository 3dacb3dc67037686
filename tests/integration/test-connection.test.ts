import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "~/server/db/schema";
import { systemActor } from "~/server/services/actor";
import { testConnection } from "~/server/services/systems/test-connection";
import { callerFor, makeUser, sessionFor } from "../helpers/actors";
import { createTestEngine } from "../helpers/engine";
import { startHarness, type Harness } from "../helpers/harness";
import { SAMPLE_SYSTEM_KEYS } from "../../demo/server";

let h: Harness;
let admin: ReturnType<typeof callerFor>;
let viewer: ReturnType<typeof callerFor>;
const summary = (r: { steps: { name: string; ok: boolean; skipped?: boolean }[] }) => r.steps.map((s) => `${s.name}:${s.skipped ? "skipped" : s.ok ? "ok" : "failed"}`);

beforeAll(async () => {
  h = await startHarness();
  h.samples.system("cms").setConfig({ webhooks: false });
  h.samples.system("cms").seedSynthetic(3);
  h.samples.system("cms").setConfig({ webhooks: true });
  admin = callerFor(h.engine.db, sessionFor(await makeUser(h.engine.db, "tester@concord.test", "admin")), h.engine);
  viewer = callerFor(h.engine.db, sessionFor(await makeUser(h.engine.db, "looker@concord.test", "viewer")), h.engine);
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

describe("test connection", () => {
  it("a healthy system passes every step; the probe record is created, deleted and audited", async () => {
    const r = await admin.systems.testConnection({ key: "cms", probeWrite: true });
    expect(summary(r)).toEqual(["reachability:ok", "authentication:ok", "read:ok", "create:ok", "delete:ok"]);
    expect(r.ok).toBe(true);
    expect(r.steps[0]!.detail).toMatch(/^CMS \(Payload\) answered at http/);
    expect(r.steps[3]!.detail).toMatch(/^Created the probe record concord-probe-[0-9a-f]+ \(id /);
    expect(r.steps.every((s) => typeof s.durationMs === "number")).toBe(true);
    const [row] = await h.engine.db.select().from(auditLog).where(eq(auditLog.action, "systems.testConnection"));
    expect(row).toMatchObject({ actorLabel: "tester@concord.test", target: "system:cms" });
    expect(row!.after).toMatchObject({ probeWrite: true, ok: true, probe: { deleted: true } });
    await h.settle({ timeoutMs: 60_000 });
    expect(h.samples.system("cms").all().filter((d) => d.slug.startsWith("concord-probe-"))).toEqual([]);
  }, 120_000);

  it("the probe never reaches another system through its webhooks", async () => {
    const before = { dashboard: h.samples.system("dashboard").all().length, lead: h.samples.system("lead-centre").all().length };
    await admin.systems.testConnection({ key: "cms", probeWrite: true });
    await h.settle({ timeoutMs: 60_000 });
    expect(h.samples.system("dashboard").all().filter((d) => d.slug.startsWith("concord-probe-"))).toEqual([]);
    expect(h.samples.system("lead-centre").all().filter((d) => d.slug.startsWith("concord-probe-"))).toEqual([]);
    expect({ dashboard: h.samples.system("dashboard").all().length, lead: h.samples.system("lead-centre").all().length }).toEqual(before);
  }, 120_000);

  it("a viewer may test reads (not audited) but not write a probe", async () => {
    const r = await viewer.systems.testConnection({ key: "dashboard" });
    expect(summary(r)).toEqual(["reachability:ok", "authentication:ok", "read:ok"]);
    expect(r.steps[2]!.detail).toMatch(/^(Read industries \d+\.|Listing industries works; it holds no records yet)/);
    const err = await viewer.systems.testConnection({ key: "dashboard", probeWrite: true }).catch((e: unknown) => e);
    expect((err as TRPCError).code).toBe("FORBIDDEN");
    expect(await h.engine.db.select().from(auditLog).where(eq(auditLog.action, "systems.testConnection"))).toHaveLength(2); // the two admin probes above, none for the viewer
  });

  it("a system that is down fails reachability and says why; later steps are not tried", async () => {
    h.samples.system("lead-centre").setFaults({ down: true });
    try {
      const r = await admin.systems.testConnection({ key: "lead-centre", probeWrite: true });
      expect(r.ok).toBe(false);
      expect(summary(r)).toEqual(["reachability:failed", "authentication:skipped", "read:skipped", "create:skipped", "delete:skipped"]);
      expect(r.steps[0]!.detail).toMatch(/^Could not reach Lead Centre at http:\/\/127\.0\.0\.1:\d+\/lead-centre .*check that it is running/);
      expect(r.steps[1]!.detail).toBe("Not tried: reachability failed first.");
    } finally {
      h.samples.system("lead-centre").setFaults({ down: false });
    }
  });

  it("a wrong key fails authentication, in the system's own terms", async () => {
    const wrong = await createTestEngine(h.t, {
      overrides: { cms: { ...h.engine.overrides.cms, auth: "users API-Key wrong-key" }, dashboard: { ...h.engine.overrides.dashboard, auth: "Bearer wrong-key" } },
    });
    const cms = await testConnection({ engine: wrong, actor: systemActor, input: { key: "cms" } });
    expect(summary(cms)).toEqual(["reachability:ok", "authentication:failed", "read:skipped"]);
    expect(cms.steps[1]).toMatchObject({ status: 403, detail: "CMS (Payload) answered 403: the API key is wrong or lacks access." });
    const dash = await testConnection({ engine: wrong, actor: systemActor, input: { key: "dashboard" } });
    expect(dash.steps[1]).toMatchObject({ ok: false, status: 401, detail: "Dashboard answered 401: the credential is missing or wrong." });
    const unknown = await admin.systems.testConnection({ key: "nowhere" }).catch((e: unknown) => e);
    expect((unknown as TRPCError).code).toBe("NOT_FOUND");
  });

  it("the probe record is valid on every sample system: each healthy one passes every step and keeps no probe", async () => {
    for (const key of SAMPLE_SYSTEM_KEYS) {
      const r = await admin.systems.testConnection({ key, probeWrite: true });
      expect([key, summary(r), r.steps.filter((s) => !s.ok).map((s) => s.detail)]).toEqual([key, ["reachability:ok", "authentication:ok", "read:ok", "create:ok", "delete:ok"], []]);
      const left = h.samples.system(key).all().filter((d) => JSON.stringify(d).includes("concord-probe-"));
      expect([key, left]).toEqual([key, []]);
    }
  });
});
