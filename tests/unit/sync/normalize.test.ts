import { describe, expect, it } from "vitest";
import { normalizeByKind, normalizeFields, normalizeValue, stableStringify } from "~/sync/normalize";

describe("normalizeValue", () => {
  it("trims strings and keeps numeric strings as strings", () => {
    expect(normalizeValue("  x ")).toBe("x");
    expect(normalizeValue(" 12 ")).toBe("12");
  });

  it("turns undefined and null into null", () => {
    expect(normalizeValue(undefined)).toBeNull();
    expect(normalizeValue(null)).toBeNull();
  });

  it("sorts keys, drops null entries, keeps array order", () => {
    const out = normalizeValue({ b: 1, a: { d: " y ", c: null, e: undefined }, z: [3, null, " 1 "] });
    expect(out).toEqual({ a: { d: "y" }, b: 1, z: [3, null, "1"] });
    expect(Object.keys(out as object)).toEqual(["a", "b", "z"]);
  });

  it("normalises dates, odd numbers and bigints", () => {
    expect(normalizeValue(new Date("2024-01-02T03:04:05Z"))).toBe("2024-01-02T03:04:05.000Z");
    expect(normalizeValue(new Date("nope"))).toBeNull();
    expect(normalizeValue(Number.NaN)).toBeNull();
    expect(normalizeValue(Number.POSITIVE_INFINITY)).toBeNull();
    expect(Object.is(normalizeValue(-0), 0)).toBe(true);
    expect(normalizeValue(10n)).toBe("10");
  });

  it("does not touch its input", () => {
    const input = { b: " x ", a: [1] };
    normalizeValue(input);
    expect(input).toEqual({ b: " x ", a: [1] });
  });
});

describe("normalizeByKind", () => {
  it("number: coerces numeric strings", () => {
    expect(normalizeByKind("12", "number")).toBe(12);
    expect(normalizeByKind(" 12.50 ", "number")).toBe(12.5);
    expect(normalizeByKind("-3e2", "number")).toBe(-300);
    expect(normalizeByKind(12, "number")).toBe(12);
    expect(normalizeByKind("", "number")).toBeNull();
    expect(normalizeByKind("12abc", "number")).toBe("12abc");
    expect(normalizeByKind("0x10", "number")).toBe("0x10");
  });

  it("boolean: coerces true/false strings", () => {
    expect(normalizeByKind("true", "boolean")).toBe(true);
    expect(normalizeByKind(" FALSE ", "boolean")).toBe(false);
    expect(normalizeByKind(false, "boolean")).toBe(false);
    expect(normalizeByKind("yes", "boolean")).toBe("yes");
    expect(normalizeByKind("", "boolean")).toBeNull();
  });

  it("date: ISO with milliseconds, zone-less times read as UTC", () => {
    const iso = "2024-01-02T03:04:05.000Z";
    expect(normalizeByKind("2024-01-02T03:04:05Z", "date")).toBe(iso);
    expect(normalizeByKind("2024-01-02T04:04:05+01:00", "date")).toBe(iso);
    expect(normalizeByKind(new Date(iso), "date")).toBe(iso);
    expect(normalizeByKind(Date.parse(iso), "date")).toBe(iso);
    expect(normalizeByKind("2024-01-02T03:04:05", "date")).toBe(iso);
    expect(normalizeByKind("2024-01-02 03:04:05", "date")).toBe(iso);
    expect(normalizeByKind("2024-01-02", "date")).toBe("2024-01-02T00:00:00.000Z");
    expect(normalizeByKind("Tue, 02 Jan 2024 03:04:05 GMT", "date")).toBe(iso);
    expect(normalizeByKind("not a date", "date")).toBe("not a date");
    expect(normalizeByKind("12", "date")).toBe("12");
    expect(normalizeByKind("", "date")).toBeNull();
  });

  it("string: numbers and booleans become strings", () => {
    expect(normalizeByKind(12, "string")).toBe("12");
    expect(normalizeByKind(true, "string")).toBe("true");
    expect(normalizeByKind(" a ", "string")).toBe("a");
  });

  it("json: deep normalisation", () => {
    expect(normalizeByKind({ b: [{ y: 1, x: " 2 " }], a: null }, "json")).toEqual({ b: [{ x: "2", y: 1 }] });
  });
});

describe("normalizeFields", () => {
  it("coerces declared kinds and normalises the rest", () => {
    const out = normalizeFields(
      { price: "12", active: "true", at: "2024-01-02T03:04:05Z", code: " 007 ", meta: { z: 1, a: 2 } },
      { price: "number", active: "boolean", at: "date" },
    );
    expect(out).toEqual({
      active: true,
      at: "2024-01-02T03:04:05.000Z",
      code: "007",
      meta: { a: 2, z: 1 },
      price: 12,
    });
    expect(Object.keys(out)).toEqual(["active", "at", "code", "meta", "price"]);
  });

  it("treats null, undefined and missing alike", () => {
    const a = normalizeFields({ name: "x", phone: null });
    const b = normalizeFields({ name: "x", phone: undefined });
    const c = normalizeFields({ name: "x" });
    expect(a).toEqual(c);
    expect(b).toEqual(c);
    expect(normalizeFields({ name: "x", phone: null }, { phone: "string" })).toEqual(c);
  });
});

describe("stableStringify", () => {
  it("sorts keys at every depth", () => {
    expect(stableStringify({ b: 1, a: { d: 1, c: [{ f: 1, e: 2 }] } })).toBe('{"a":{"c":[{"e":2,"f":1}],"d":1},"b":1}');
  });

  it("is independent of key insertion order", () => {
    expect(stableStringify({ x: 1, y: 2 })).toBe(stableStringify({ y: 2, x: 1 }));
  });

  it("leaves out undefined entries and keeps null", () => {
    expect(stableStringify({ a: undefined, b: null })).toBe('{"b":null}');
    expect(stableStringify([undefined, 1])).toBe("[null,1]");
    expect(stableStringify(undefined)).toBe("null");
  });

  it("handles dates and bigints", () => {
    expect(stableStringify({ at: new Date(0), n: 5n })).toBe('{"at":"1970-01-01T00:00:00.000Z","n":"5"}');
  });
});
