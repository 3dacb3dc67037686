import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import type { Session } from "next-auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "~/server/api/root";
import { API_KEY_SCOPES, createTRPCContext } from "~/server/api/trpc";
import { apiKeys, auditLog, runs } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { allProcedures, callerFor, callPath, makeUser, sessionFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/db";
import { createTestEngine } from "../helpers/engine";
import { mutationFixtures } from "../helpers/mutation-fixtures";

let t: TestDb;
let engine: Engine;
let clock = new Date("2030-01-01T00:00:00Z");
let adminSession: Session;
beforeAll(async () => {
  t = await createTestDb();
  // No system answers: a run started here fails fast in the background.
  engine = await createTestEngine(t, { now: () => clock, fetch: () => Promise.reject(new Error("offline")) });
  adminSession = sessionFor(await makeUser(t.db, "keys-admin@concord.test", "admin"));
});
afterAll(async () => {
  await new Promise((r) => setTimeout(r, 200)); // let background runs finish before the database goes
  await t.destroy();
});

const admin = () => callerFor(t.db, adminSession, engine);
function keyCaller(key: string, session: Session | null = null, scheme = "Bearer") {
  return createCaller(createTRPCContext({ db: t.db, session, engine, headers: new Headers({ authorization: `${scheme} ${key}` }) }));
}
async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (err) {
    return err instanceof TRPCError ? err.code : `not a TRPCError: ${String(err)}`;
  }
}
const queryInputs: Record<string, unknown> = {
  "records.list": { entity: "industry" },
  "records.get": { entity: "industry", naturalKey: "nothing-here" },
  "runs.get": { id: crypto.randomUUID() },
};

describe("API keys", () => {
  it("shows the key once: list, audit and database hold only its prefix and hash", async () => {
    const { apiKey, key } = await admin().apiKeys.create({ name: "crm-sync", scopes: ["write", "read", "read"] });
    expect(key).toMatch(/^ck_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ name: "crm-sync", scopes: ["read", "write"], createdBy: "keys-admin@concord.test", lastUsedAt: null, revokedAt: null });
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    const listed = await admin().apiKeys.list();
    expect(listed.map((k) => k.id)).toContain(apiKey.id);
    const secretPart = key.slice(apiKey.prefix.length);
    for (const text of [JSON.stringify(listed), JSON.stringify(await t.db.select().from(auditLog)), JSON.stringify(await t.db.select().from(apiKeys))]) {
      expect(text).not.toContain(secretPart);
    }
    const [row] = await t.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(row!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(listed)).not.toContain(row!.hash);
  });

  it("enforces scopes on every procedure: a key reaches only what API_KEY_SCOPES names, with that scope", async () => {
    const keys = {
      read: (await admin().apiKeys.create({ name: "reader", scopes: ["read"] })).key,
      write: (await admin().apiKeys.create({ name: "writer", scopes: ["write"] })).key,
      run: (await admin().apiKeys.create({ name: "runner", scopes: ["run"] })).key,
    };
    const all = (await admin().apiKeys.create({ name: "everything", scopes: ["read", "write", "run"] })).key;
    const paths = allProcedures().map((p) => p.path);
    expect(Object.keys(API_KEY_SCOPES).filter((p) => !paths.includes(p))).toEqual([]); // no stale entries
    for (const path of paths) {
      const input = () => mutationFixtures[path]?.() ?? queryInputs[path];
      const needed = API_KEY_SCOPES[path];
      if (!needed) {
        expect([path, await codeOf(callPath(keyCaller(all), path, input()))]).toEqual([path, "FORBIDDEN"]);
        continue;
      }
      for (const [scope, key] of Object.entries(keys)) {
        const code = await codeOf(callPath(keyCaller(key), path, input()));
        if (scope === needed) expect(code, `${path} with a ${scope} key`).not.toMatch(/^(FORBIDDEN|UNAUTHORIZED)$/);
        else expect([path, scope, code]).toEqual([path, scope, "FORBIDDEN"]);
      }
    }
  });

  it("names the missing scope, and keys cannot manage keys, users or systems", async () => {
    const { key } = await admin().apiKeys.create({ name: "read-only", scopes: ["read"] });
    const err = await keyCaller(key).records.upsert(mutationFixtures["records.upsert"]!() as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).message).toContain('lacks the "write" scope');
    expect(await codeOf(keyCaller(key).apiKeys.create({ name: "escalate", scopes: ["write"] }))).toBe("FORBIDDEN");
    expect(await codeOf(keyCaller(key).users.list())).toBe("FORBIDDEN");
    expect(await codeOf(keyCaller(key).systems.list())).toBe("FORBIDDEN");
  });

  it("refuses a revoked or unknown key with UNAUTHORIZED, even beside an admin session", async () => {
    const { apiKey, key } = await admin().apiKeys.create({ name: "short-lived", scopes: ["read"] });
    expect(await codeOf(keyCaller(key).records.list({ entity: "industry" }))).toBe("OK");
    const revoked = await admin().apiKeys.revoke({ id: apiKey.id });
    expect(revoked.revokedAt).toEqual(clock);
    expect(await codeOf(keyCaller(key).records.list({ entity: "industry" }))).toBe("UNAUTHORIZED");
    expect(await codeOf(keyCaller(key, adminSession).records.list({ entity: "industry" }))).toBe("UNAUTHORIZED");
    expect(await codeOf(keyCaller(`ck_${"x".repeat(43)}`, adminSession).users.list())).toBe("UNAUTHORIZED");
    expect(await codeOf(keyCaller("not-a-key").records.list({ entity: "industry" }))).toBe("UNAUTHORIZED");
    expect(await codeOf(keyCaller(key, null, "Basic").records.list({ entity: "industry" }))).toBe("UNAUTHORIZED");
    expect(await codeOf(admin().apiKeys.revoke({ id: apiKey.id }))).toBe("CONFLICT");
    const rows = await t.db.select().from(auditLog).where(eq(auditLog.action, "apiKeys.revoke"));
    expect(rows.at(-1)).toMatchObject({ actorKind: "user", actorLabel: "keys-admin@concord.test", target: `api_key:${apiKey.id}` });
  });

  it("updates last-used on use, at most once a minute", async () => {
    const { apiKey, key } = await admin().apiKeys.create({ name: "tracked", scopes: ["read"] });
    const lastUsed = async () => (await admin().apiKeys.list()).find((k) => k.id === apiKey.id)!.lastUsedAt;
    expect(await lastUsed()).toBeNull();
    const first = clock;
    await keyCaller(key).records.list({ entity: "industry" });
    expect(await lastUsed()).toEqual(first);
    clock = new Date(first.getTime() + 30_000);
    await keyCaller(key).records.list({ entity: "industry" });
    expect(await lastUsed()).toEqual(first);
    clock = new Date(first.getTime() + 61_000);
    await keyCaller(key).records.list({ entity: "industry" });
    expect(await lastUsed()).toEqual(clock);
  });

  it("acts as the key: audit rows and runs name it", async () => {
    const { key } = await admin().apiKeys.create({ name: "deploy-bot", scopes: ["write", "run"] });
    const up = await keyCaller(key).records.upsert({ entity: "industry", origin: "dashboard", data: { name: "Bots", slug: "bots" } });
    expect(up.outcome).toBe("created");
    const [row] = await t.db.select().from(auditLog).where(eq(auditLog.target, `industry:${up.record.id}`));
    expect(row).toMatchObject({ actorKind: "api_key", actorLabel: "deploy-bot", actorId: null, action: "records.upsert" });
    const run = await keyCaller(key).runs.trigger({ entity: "industry", system: "dashboard", kind: "dry-run" });
    expect(run).toMatchObject({ trigger: "api", startedBy: "deploy-bot" });
    const [stored] = await t.db.select().from(runs).where(eq(runs.id, run.id));
    expect(stored!.trigger).toBe("api");
  });
});
