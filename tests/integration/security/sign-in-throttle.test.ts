import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSyncError } from "~/sync/errors";
import { hashChecksRunning, MAX_CONCURRENT_HASH_CHECKS, MAX_WAITING_HASH_CHECKS, verifyPassword } from "~/server/auth/passwords";
import { ADDRESS_MAX_ATTEMPTS, clientAddress, SIGN_IN_MAX_FAILURES } from "~/server/services/sign-in-throttle";
import { verifyCredentials } from "~/server/services/verify-credentials";
import { makeUser } from "../../helpers/actors";
import { createTestDb, type TestDb } from "../../helpers/db";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.destroy();
});

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "OK",
    (err: unknown) => (isSyncError(err) ? err.code : String(err)),
  );

describe("sign-in throttling under attack", { timeout: 120_000 }, () => {
  it("50 parallel wrong passwords get no more guesses than the limit; the owner still gets in from a clean address", async () => {
    await makeUser(t.db, "target@concord.test", "admin", "the-right-password");
    const burst = await Promise.all(
      Array.from({ length: 50 }, (_, i) => outcome(verifyCredentials({ db: t.db, address: "203.0.113.7", input: { email: "target@concord.test", password: `guess-${i}-wrong` } }))),
    );
    const guesses = burst.filter((o) => o === "UNAUTHORIZED").length;
    expect(guesses).toBeGreaterThan(0);
    expect(guesses).toBeLessThanOrEqual(SIGN_IN_MAX_FAILURES);
    expect(burst.filter((o) => o !== "UNAUTHORIZED").every((o) => o === "RATE_LIMITED")).toBe(true);

    // The attacking address is refused even with the right password; the owner's clean address is let in.
    expect(await outcome(verifyCredentials({ db: t.db, address: "203.0.113.7", input: { email: "target@concord.test", password: "the-right-password" } }))).toBe("RATE_LIMITED");
    const owner = await verifyCredentials({ db: t.db, address: "198.51.100.20", input: { email: "target@concord.test", password: "the-right-password" } });
    expect(owner.email).toBe("target@concord.test");
  });

  it("a locked account gives a new address one try, not five", async () => {
    await makeUser(t.db, "locked2@concord.test", "admin", "the-right-password");
    for (let i = 0; i < SIGN_IN_MAX_FAILURES; i++) {
      await outcome(verifyCredentials({ db: t.db, address: "192.0.2.1", input: { email: "locked2@concord.test", password: `bad-${i}-password` } }));
    }
    const fromNew = [];
    for (let i = 0; i < 3; i++) fromNew.push(await outcome(verifyCredentials({ db: t.db, address: "192.0.2.99", input: { email: "locked2@concord.test", password: `other-${i}-bad` } })));
    expect(fromNew).toEqual(["UNAUTHORIZED", "RATE_LIMITED", "RATE_LIMITED"]);
  });

  it("one address spraying many accounts is stopped after its own budget", async () => {
    const results = [];
    for (let i = 0; i < ADDRESS_MAX_ATTEMPTS + 3; i++) {
      results.push(await outcome(verifyCredentials({ db: t.db, address: "192.0.2.50", input: { email: `spray-${i}@concord.test`, password: "password-1234" } })));
    }
    expect(results.slice(0, ADDRESS_MAX_ATTEMPTS).every((o) => o === "UNAUTHORIZED")).toBe(true);
    expect(results.slice(ADDRESS_MAX_ATTEMPTS)).toEqual(["RATE_LIMITED", "RATE_LIMITED", "RATE_LIMITED"]);
  });

  it("bounds how many password hashes are checked at once and refuses a queue past its bound", async () => {
    const n = MAX_CONCURRENT_HASH_CHECKS + MAX_WAITING_HASH_CHECKS + 3;
    const calls = Array.from({ length: n }, () => outcome(verifyPassword("whatever-it-is", null)));
    expect(hashChecksRunning()).toBe(MAX_CONCURRENT_HASH_CHECKS);
    const results = await Promise.all(calls);
    expect(results.filter((r) => r === "RATE_LIMITED").length).toBe(3);
    expect(hashChecksRunning()).toBe(0);
  });

  it("takes the client address from the last forwarded hop", () => {
    expect(clientAddress(new Headers({ "x-forwarded-for": "6.6.6.6, 10.0.0.3" }))).toBe("10.0.0.3");
    expect(clientAddress(new Headers({ "x-real-ip": "10.0.0.4" }))).toBe("10.0.0.4");
    expect(clientAddress(new Headers())).toBeNull();
  });
});
