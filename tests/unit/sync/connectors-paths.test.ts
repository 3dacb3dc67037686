import { describe, expect, it } from "vitest";
import { matchesField } from "~/sync/connectors/common";
import { collectPath, findErrorField, getPath } from "~/sync/connectors/paths";

describe("getPath / collectPath", () => {
  const body = { meta: { has_more: true, total: 3 }, data: [{ id: 1 }, { id: 2 }], list: [[1], [2, 3]] };

  it("walks dotted keys; empty path is the root", () => {
    expect(getPath(body, "meta.has_more")).toBe(true);
    expect(getPath(body, "")).toBe(body);
    expect(getPath(body, "meta.nope")).toBeUndefined();
    expect(getPath(null, "a")).toBeUndefined();
  });

  it("indexes arrays by number", () => {
    expect(getPath(body, "data.1.id")).toBe(2);
  });

  it("fans out over [] segments", () => {
    expect(collectPath(body, "data[].id")).toEqual([1, 2]);
    expect(collectPath(body, "list[]")).toEqual([[1], [2, 3]]);
    expect(collectPath(body, "meta[]")).toEqual([]);
  });
});

describe("findErrorField", () => {
  it("object → first key", () => {
    expect(findErrorField({ error: { message: "m", fields: { slug: "taken", name: "x" } } }, ["error.fields"])).toBe("slug");
  });

  it("array of objects with [] → first string", () => {
    expect(findErrorField({ errors: [{ message: "m" }, { field: "email" }] }, ["errors[].field"])).toBe("email");
  });

  it("nested fan-out (Payload)", () => {
    const body = { errors: [{ name: "ValidationError", data: { collection: "c", errors: [{ path: "title" }, { path: "slug" }] } }] };
    expect(findErrorField(body, ["errors[].data.errors[].path"])).toBe("title");
  });

  it("array of strings → first; arrays of objects do not name fields", () => {
    expect(findErrorField({ invalid: ["a", "b"] }, ["invalid"])).toBe("a");
    expect(findErrorField({ errors: [{ field: "x" }] }, ["errors"])).toBeUndefined();
  });

  it("tries paths in order and returns undefined when none matches", () => {
    expect(findErrorField({ b: "two" }, ["a", "b"])).toBe("two");
    expect(findErrorField({ c: 1 }, ["a", "b", "c"])).toBeUndefined();
    expect(findErrorField("not json", ["a"])).toBeUndefined();
    expect(findErrorField({}, [])).toBeUndefined();
  });
});

describe("matchesField", () => {
  it("compares scalars trimmed and case-insensitively", () => {
    expect(matchesField({ email: "A@x.com " }, "email", "a@x.com")).toBe(true);
    expect(matchesField({ n: 12 }, "n", "12")).toBe(true);
    expect(matchesField({ n: 13 }, "n", "12")).toBe(false);
    expect(matchesField({ n: null }, "n", "12")).toBe(false);
  });

  it("keeps docs without the field and compares relationships by id", () => {
    expect(matchesField({}, "email", "a")).toBe(true);
    expect(matchesField({ owner: { id: 5, name: "x" } }, "owner", "5")).toBe(true);
    expect(matchesField({ meta: { slug: "s" } }, "meta.slug", "s")).toBe(true);
  });
});
