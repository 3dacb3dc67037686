import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allProcedures, callerFor, callPath, makeUser, sessionFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/db";
import { mutationFixtures, viewerAllowedMutations } from "../helpers/mutation-fixtures";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.destroy();
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (err) {
    return err instanceof TRPCError ? err.code : `not a TRPCError: ${String(err)}`;
  }
}

describe("who may call what", () => {
  it("answers UNAUTHORIZED to an anonymous caller on every procedure in the router", async () => {
    const anon = callerFor(t.db, null);
    const procs = allProcedures();
    expect(procs.length).toBeGreaterThan(3);
    for (const { path } of procs) {
      expect([path, await codeOf(callPath(anon, path, mutationFixtures[path]?.() ?? undefined))]).toEqual([path, "UNAUTHORIZED"]);
    }
  });

  it("has a fixture for every mutation, so a new one cannot escape the access and audit tests", () => {
    const mutations = allProcedures().filter((p) => p.type === "mutation").map((p) => p.path);
    expect(mutations.filter((m) => !(m in mutationFixtures))).toEqual([]);
  });

  it("refuses every admin mutation to a viewer with FORBIDDEN and changes nothing", async () => {
    const viewer = await makeUser(t.db, "viewer-access@concord.test", "viewer");
    const caller = callerFor(t.db, sessionFor(viewer));
    const before = await caller.users.list();
    for (const { path } of allProcedures().filter((p) => p.type === "mutation" && !viewerAllowedMutations.includes(p.path))) {
      expect([path, await codeOf(callPath(caller, path, mutationFixtures[path]!()))]).toEqual([path, "FORBIDDEN"]);
    }
    expect(await caller.users.list()).toEqual(before);
  });

  it("lets a viewer read", async () => {
    const viewer = await makeUser(t.db, "viewer-reads@concord.test", "viewer");
    const caller = callerFor(t.db, sessionFor(viewer));
    expect((await caller.users.list()).map((u) => u.email)).toContain("viewer-reads@concord.test");
    const page = await caller.audit.list({});
    expect(page.total).toBeGreaterThan(0);
  });

  it("answers bad input with BAD_REQUEST naming the field", async () => {
    const admin = await makeUser(t.db, "admin-input@concord.test", "admin");
    const caller = callerFor(t.db, sessionFor(admin));
    const err = await caller.users.create({ email: "not-an-email", role: "viewer" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe("BAD_REQUEST");
    expect(JSON.stringify((err as TRPCError).cause)).toContain("email");
  });
});
