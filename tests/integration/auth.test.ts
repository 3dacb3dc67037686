import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSyncError } from "~/sync/errors";
import { users } from "~/server/db/schema";
import { getSessionUser } from "~/server/services/get-session-user";
import { SIGN_IN_MAX_FAILURES } from "~/server/services/sign-in-throttle";
import { verifyCredentials } from "~/server/services/verify-credentials";
import { callerFor, makeUser, sessionFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/db";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.destroy();
});

async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (err) {
    return isSyncError(err) ? err.code : String(err);
  }
}

describe("sign-in", () => {
  it("accepts the right password, case-insensitively on the email, and records the sign-in", async () => {
    await makeUser(t.db, "right@concord.test", "admin", "the-right-password");
    const user = await verifyCredentials({ db: t.db, input: { email: "RIGHT@concord.test", password: "the-right-password" } });
    expect(user.email).toBe("right@concord.test");
    const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
    expect(row!.lastSignInAt).not.toBeNull();
  });

  it("refuses a wrong password, an unknown email and a disabled user alike, with no session", async () => {
    const u = await makeUser(t.db, "wrong@concord.test", "admin", "the-right-password");
    expect(await errorCode(verifyCredentials({ db: t.db, input: { email: "wrong@concord.test", password: "nope-nope-nope" } }))).toBe("UNAUTHORIZED");
    expect(await errorCode(verifyCredentials({ db: t.db, input: { email: "nobody@concord.test", password: "whatever-1" } }))).toBe("UNAUTHORIZED");
    expect(await errorCode(verifyCredentials({ db: t.db, input: { email: "", password: "" } }))).toBe("UNAUTHORIZED");
    await t.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, u.id));
    expect(await errorCode(verifyCredentials({ db: t.db, input: { email: "wrong@concord.test", password: "the-right-password" } }))).toBe("UNAUTHORIZED");
  });

  it("locks an email out after repeated failures and says for how long, without touching other emails", async () => {
    await makeUser(t.db, "locked@concord.test", "admin", "the-right-password");
    await makeUser(t.db, "other@concord.test", "admin", "the-right-password");
    for (let i = 0; i < SIGN_IN_MAX_FAILURES; i++) {
      await verifyCredentials({ db: t.db, input: { email: "locked@concord.test", password: `bad-${i}-password` } }).catch(() => undefined);
    }
    const err = await verifyCredentials({ db: t.db, input: { email: "locked@concord.test", password: "the-right-password" } }).catch((e: unknown) => e);
    expect(isSyncError(err) && err.code).toBe("RATE_LIMITED");
    expect((err as Error).message).toMatch(/Too many failed sign-ins for this email\. Try again in 1[45] minutes\./);
    const other = await verifyCredentials({ db: t.db, input: { email: "other@concord.test", password: "the-right-password" } });
    expect(other.email).toBe("other@concord.test");
  });

  it("ends a session when the user is disabled or changes their password, and applies a new role at once", async () => {
    const u = await makeUser(t.db, "session@concord.test", "viewer", "the-right-password");
    const issuedAt = Date.now() + 2000; // a session issued after the account was made
    expect((await getSessionUser(t.db, u.id, issuedAt))?.role).toBe("viewer");
    await t.db.update(users).set({ role: "admin" }).where(eq(users.id, u.id));
    expect((await getSessionUser(t.db, u.id, issuedAt))?.role).toBe("admin");
    await callerFor(t.db, sessionFor(u)).users.changeOwnPassword({ currentPassword: "the-right-password", newPassword: "a-brand-new-password" });
    expect(await getSessionUser(t.db, u.id, issuedAt - 5000)).toBeNull();
    const fresh = Date.now() + 2000;
    expect(await getSessionUser(t.db, u.id, fresh)).not.toBeNull();
    await t.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, u.id));
    expect(await getSessionUser(t.db, u.id, fresh)).toBeNull();
  });

  it("refuses a password change with a wrong current password and keeps the old one", async () => {
    const u = await makeUser(t.db, "keep@concord.test", "viewer", "the-right-password");
    const err = await callerFor(t.db, sessionFor(u))
      .users.changeOwnPassword({ currentPassword: "not-it-at-all", newPassword: "a-brand-new-password" })
      .catch((e: unknown) => e as Error);
    expect((err as Error).message).toBe("The current password is wrong.");
    const ok = await verifyCredentials({ db: t.db, input: { email: "keep@concord.test", password: "the-right-password" } });
    expect(ok.email).toBe("keep@concord.test");
  });
});

describe("admin users", () => {
  it("generates a temporary password when none is given and never returns a hash", async () => {
    const admin = await makeUser(t.db, "boss@concord.test", "admin");
    const res = await callerFor(t.db, sessionFor(admin)).users.create({ email: "temp@concord.test", role: "viewer" });
    expect(res.temporaryPassword).toMatch(/^[\w-]{16}$/);
    expect(JSON.stringify(res)).not.toMatch(/\$2[aby]\$/);
    const signedIn = await verifyCredentials({ db: t.db, input: { email: "temp@concord.test", password: res.temporaryPassword } });
    expect(signedIn.role).toBe("viewer");
  });

  it("refuses a duplicate email and protects the last admin", async () => {
    const t2 = await createTestDb();
    try {
      const admin = await makeUser(t2.db, "only@concord.test", "admin");
      const caller = callerFor(t2.db, sessionFor(admin));
      await expect(caller.users.create({ email: "ONLY@concord.test", role: "viewer", password: "password-123" })).rejects.toThrow(/already exists/);
      await expect(caller.users.setRole({ userId: admin.id, role: "viewer" })).rejects.toThrow(/last active admin/);
      await expect(caller.users.setDisabled({ userId: admin.id, disabled: true })).rejects.toThrow(/cannot disable yourself/);
      expect((await caller.users.list()).find((u) => u.id === admin.id)?.role).toBe("admin");
    } finally {
      await t2.destroy();
    }
  });
});
