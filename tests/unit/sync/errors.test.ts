import { describe, expect, it } from "vitest";
import { isSyncError, SYNC_ERROR_CODES, SyncError, ZSyncErrorCode } from "~/sync/errors";

describe("SyncError", () => {
  it("carries code, message and options", () => {
    const cause = new Error("socket hang up");
    const e = new SyncError("UPSTREAM_PERMANENT", "bad", {
      status: 422,
      field: "slug",
      details: { excerpt: "x" },
      cause,
    });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("SyncError");
    expect(e.code).toBe("UPSTREAM_PERMANENT");
    expect(e.message).toBe("bad");
    expect(e.status).toBe(422);
    expect(e.field).toBe("slug");
    expect(e.details).toEqual({ excerpt: "x" });
    expect(e.cause).toBe(cause);
    expect(e.stack).toContain("SyncError");
  });

  it.each([
    ["RATE_LIMITED", true],
    ["UPSTREAM_RETRYABLE", true],
    ["UPSTREAM_RATE_LIMITED", true],
    ["UPSTREAM_PERMANENT", false],
    ["UPSTREAM_AUTH", false],
    ["NOT_FOUND", false],
    ["INTERNAL", false],
  ] as const)("%s is retryable=%s by default", (code, retryable) => {
    expect(new SyncError(code, "m").retryable).toBe(retryable);
  });

  it("lets the thrower override retryable", () => {
    expect(new SyncError("INTERNAL", "m", { retryable: true }).retryable).toBe(true);
    expect(new SyncError("UPSTREAM_RETRYABLE", "m", { retryable: false }).retryable).toBe(false);
  });

  it("leaves unset options undefined and out of toJSON", () => {
    const e = new SyncError("NOT_FOUND", "no such thing");
    expect(e.status).toBeUndefined();
    expect(e.field).toBeUndefined();
    expect(e.retryAfterMs).toBeUndefined();
    expect(e.cause).toBeUndefined();
    expect(e.toJSON()).toEqual({ name: "SyncError", code: "NOT_FOUND", message: "no such thing", retryable: false });
    expect(JSON.parse(JSON.stringify(e))).toEqual(e.toJSON());
  });

  it("toJSON includes the set options", () => {
    const e = new SyncError("UPSTREAM_RATE_LIMITED", "slow down", { status: 429, retryAfterMs: 1000, details: { a: 1 } });
    expect(e.toJSON()).toEqual({
      name: "SyncError",
      code: "UPSTREAM_RATE_LIMITED",
      message: "slow down",
      retryable: true,
      status: 429,
      retryAfterMs: 1000,
      details: { a: 1 },
    });
  });

  it("lists all 14 codes", () => {
    expect(SYNC_ERROR_CODES).toHaveLength(14);
    expect(ZSyncErrorCode.safeParse("CONFLICT").success).toBe(true);
    expect(ZSyncErrorCode.safeParse("NOPE").success).toBe(false);
  });
});

describe("isSyncError", () => {
  it("recognises SyncErrors", () => {
    expect(isSyncError(new SyncError("CONFLICT", "x"))).toBe(true);
  });

  it("rejects other values", () => {
    expect(isSyncError(new Error("x"))).toBe(false);
    expect(isSyncError({ name: "SyncError", code: "CONFLICT", retryable: false })).toBe(false);
    expect(isSyncError(null)).toBe(false);
    expect(isSyncError("SyncError")).toBe(false);
  });

  it("recognises a SyncError from another copy of the module by shape", () => {
    const foreign = Object.assign(new Error("x"), { name: "SyncError", code: "FORBIDDEN", retryable: false });
    expect(isSyncError(foreign)).toBe(true);
    const wrongCode = Object.assign(new Error("x"), { name: "SyncError", code: "WHAT", retryable: false });
    expect(isSyncError(wrongCode)).toBe(false);
  });
});
