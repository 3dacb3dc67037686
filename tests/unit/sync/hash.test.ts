import { describe, expect, it } from "vitest";
import { hashFields, hashValue, sha256Hex } from "~/sync/hash";

describe("hashFields", () => {
  it("is hex sha256", () => {
    expect(hashFields({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(hashFields({})).toBe(sha256Hex("{}"));
  });

  it("ignores key order", () => {
    expect(hashFields({ a: 1, b: "x" })).toBe(hashFields({ b: "x", a: 1 }));
  });

  it("treats null and missing alike", () => {
    expect(hashFields({ a: 1, b: null })).toBe(hashFields({ a: 1 }));
    expect(hashFields({ a: 1, b: undefined })).toBe(hashFields({ a: 1 }));
  });

  it("ignores surrounding whitespace", () => {
    expect(hashFields({ name: " x " })).toBe(hashFields({ name: "x" }));
  });

  it('"12" equals 12 only for a number kind', () => {
    expect(hashFields({ n: "12" })).not.toBe(hashFields({ n: 12 }));
    expect(hashFields({ n: "12" }, { n: "number" })).toBe(hashFields({ n: 12 }, { n: "number" }));
  });

  it("normalises nested objects", () => {
    expect(hashFields({ meta: { b: [1, 2], a: { y: " z ", x: null } } })).toBe(
      hashFields({ meta: { a: { y: "z" }, b: [1, 2] } }),
    );
    expect(hashFields({ meta: { b: [1, 2] } })).not.toBe(hashFields({ meta: { b: [2, 1] } }));
  });

  it("sees real changes", () => {
    expect(hashFields({ a: 1 })).not.toBe(hashFields({ a: 2 }));
    expect(hashFields({ a: "" })).not.toBe(hashFields({}));
    expect(hashFields({ a: false })).not.toBe(hashFields({}));
  });

  it("equal dates in different notations hash alike for a date kind", () => {
    const kinds = { at: "date" as const };
    expect(hashFields({ at: "2024-01-02T03:04:05Z" }, kinds)).toBe(hashFields({ at: new Date("2024-01-02T03:04:05.000Z") }, kinds));
  });
});

describe("hashValue", () => {
  it("hashes any normalised value", () => {
    expect(hashValue([{ b: 1, a: " 2 " }])).toBe(hashValue([{ a: "2", b: 1 }]));
    expect(hashValue(null)).toBe(sha256Hex("null"));
  });
});
