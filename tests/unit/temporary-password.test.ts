import { describe, expect, it } from "vitest";
import { newTemporaryPassword } from "~/server/services/delivery/deliver-one";

describe("temporary passwords", () => {
  it("are 16 base64url characters that never start with - or _ (a CSV cell starting with - is changed to stop spreadsheet formulas)", () => {
    const made = Array.from({ length: 2000 }, () => newTemporaryPassword());
    expect(made.every((p) => /^[A-Za-z0-9][A-Za-z0-9_-]{15}$/.test(p))).toBe(true);
    expect(new Set(made).size).toBe(made.length);
  });
});
