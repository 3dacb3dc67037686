import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gt, max } from "drizzle-orm";
import { auditLog } from "~/server/db/schema";
import { allProcedures, callerFor, callPath, makeUser, sessionFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/db";
import { conflicts, deliveries, records, runs, webhookEvents } from "~/server/db/schema";
import { systemActor } from "~/server/services/actor";
import { createApiKey } from "~/server/services/api-keys/create-api-key";
import { createRun } from "~/server/services/runs/create-run";
import { emptyCounts } from "~/server/services/runs/run-counts";
import { createTestEngine } from "../helpers/engine";
import { auditedElsewhere, mutationFixtures } from "../helpers/mutation-fixtures";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.destroy();
});

describe("audit log", () => {
  it("writes a row for every mutation, with who, what and before → after, secrets redacted", async () => {
    const admin = await makeUser(t.db, "auditor@concord.test", "admin");
    const engine = await createTestEngine(t);
    const caller = callerFor(t.db, sessionFor(admin), engine);
    const target = await makeUser(t.db, "target@concord.test", "viewer");
    const heldRun = async () => {
      const [row] = await t.db
        .insert(runs)
        .values({ entity: "industry", system: "lead-centre", kind: "full", trigger: "admin", status: "awaiting-approval", counts: emptyCounts(), plan: { deletes: [] } })
        .returning({ id: runs.id });
      return row!.id;
    };
    const openConflict = async () => {
      const [rec] = await t.db
        .insert(records)
        .values({ entity: "industry", naturalKey: "audited", data: { name: "Ours", slug: "audited", description: null, active: true } })
        .returning({ id: records.id });
      const [c] = await t.db
        .insert(conflicts)
        .values({ recordId: rec!.id, entity: "industry", field: "name", base: "Base", theirs: "Theirs", theirsSystem: "cms", ours: "Ours", oursSystem: "dashboard", reason: "manual" })
        .returning({ id: conflicts.id });
      return c!.id;
    };
    const dead = async () => {
      const [row] = await t.db
        .insert(deliveries)
        .values({ recordId: crypto.randomUUID(), entity: "industry", system: "cms", status: "dead", attempts: 4, lastError: "HTTP 503" })
        .returning({ id: deliveries.id });
      return row!.id;
    };
    const failedEvent = async () => {
      const [row] = await t.db
        .insert(webhookEvents)
        .values({ system: "dashboard", webhookId: `evt-${crypto.randomUUID()}`, body: "{}", status: "failed", attempts: 8, error: "HTTP 503" })
        .returning({ id: webhookEvents.id });
      return row!.id;
    };
    const liveRecord = async () => {
      await t.db.insert(records).values({ entity: "industry", naturalKey: "audited-delete", data: { name: "Doomed", slug: "audited-delete", description: null, active: true } });
      return "audited-delete";
    };
    // Inputs that must name a real row.
    const prepared: Record<string, unknown> = {
      "users.setRole": { userId: target.id, role: "admin" },
      "users.setDisabled": { userId: target.id, disabled: true },
      "runs.cancel": { id: (await createRun(engine, { entity: "industry", system: "cms", kind: "full", trigger: "admin", startedBy: "test" })).id },
      "runs.decide": { runId: await heldRun(), approve: false },
      "conflicts.resolve": { conflictId: await openConflict(), pick: "theirs" },
      "deliveries.replay": { id: await dead() },
      "deliveries.replayMany": { ids: [await dead()] },
      "deliveries.cancel": { id: await dead() },
      "webhooks.settle": { ids: [await failedEvent()], action: "dismiss" },
      "apiKeys.revoke": { id: (await createApiKey({ db: t.db, actor: systemActor, input: { name: "to-revoke", scopes: ["read"] } })).apiKey.id },
      "records.delete": { entity: "industry", origin: "dashboard", naturalKey: await liveRecord() },
    };
    // The links.* mutations need a record and a real document in a system: linking.test.ts checks their rows.
    for (const { path } of allProcedures().filter((p) => p.type === "mutation" && !auditedElsewhere.includes(p.path))) {
      const input = prepared[path] ?? mutationFixtures[path]!();
      const [last] = await t.db.select({ id: max(auditLog.id) }).from(auditLog);
      await callPath(caller, path, input);
      const rows = await t.db.select().from(auditLog).where(gt(auditLog.id, last?.id ?? 0));
      const row = rows.find((r) => r.action === path);
      expect(row, `no audit row for ${path}`).toBeDefined();
      expect(row!.actorLabel).toBe("auditor@concord.test");
      expect(row!.actorKind).toBe("user");
      const text = JSON.stringify(rows);
      expect(text).not.toMatch(/\$2[aby]\$/); // no bcrypt hash
      expect(text).not.toContain("a-secret-password");
      expect(text).not.toContain("another-long-password");
    }
  });

  it("lists newest first, filters by actor and action, and paginates", async () => {
    const admin = await makeUser(t.db, "pager@concord.test", "admin");
    const caller = callerFor(t.db, sessionFor(admin));
    for (let i = 0; i < 5; i++) await caller.users.create({ email: `page-${i}@concord.test`, role: "viewer", password: "password-123" });
    const first = await caller.audit.list({ actor: "pager@", action: "users.create", pageSize: 2 });
    expect(first.total).toBe(5);
    expect(first.items.map((i) => i.target)).toEqual(["user:page-4@concord.test", "user:page-3@concord.test"]);
    const third = await caller.audit.list({ actor: "pager@", action: "users.create", pageSize: 2, page: 3 });
    expect(third.items.map((i) => i.target)).toEqual(["user:page-0@concord.test"]);
    expect(first.actions).toContain("users.create");
    expect((await caller.audit.list({ actor: "nobody-like-this" })).total).toBe(0);
  });
});
