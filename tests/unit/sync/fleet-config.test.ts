import { describe, expect, it } from "vitest";
import { bindingFor, defaultConfig, withOwnValueMaps } from "~/sync/config";
import { generatedQrCode, imoProblem, isRecordId, parsePendingRef, pendingRef } from "~/sync/identifiers";
import { mapIn, mapOut } from "~/sync/mapping";

describe("IMO numbers", () => {
  it("accepts a number whose seventh digit is its check digit, with or without the IMO prefix", () => {
    expect(imoProblem("9074729")).toBeNull();
    expect(imoProblem("IMO 9074729")).toBeNull();
  });
  it("names what is wrong: a wrong check digit, or not seven digits", () => {
    expect(imoProblem("9074728")).toBe("has a wrong check digit (expected 9)");
    expect(imoProblem("907472")).toBe("must be seven digits");
    expect(imoProblem("90747A9")).toBe("must be seven digits");
  });
});

describe("generated QR codes", () => {
  it("are stable for the same document and differ between documents and systems", () => {
    expect(generatedQrCode("onboarding", "eq-1")).toBe(generatedQrCode("onboarding", "eq-1"));
    expect(generatedQrCode("onboarding", "eq-1")).not.toBe(generatedQrCode("onboarding", "eq-2"));
    expect(generatedQrCode("onboarding", "eq-1")).not.toBe(generatedQrCode("maintenance", "eq-1"));
    expect(generatedQrCode("onboarding", "eq-1")).toMatch(/^QR-[0-9A-F]{12}$/);
  });
  it("a thousand documents get a thousand codes", () => {
    const codes = new Set(Array.from({ length: 1000 }, (_, i) => generatedQrCode("onboarding", `eq-${i}`)));
    expect(codes.size).toBe(1000);
  });
});

describe("references", () => {
  it("a parent Concord has not seen is kept as <system>:<id> until it arrives", () => {
    expect(pendingRef("onboarding", "v-1")).toBe("onboarding:v-1");
    expect(parsePendingRef("onboarding:v-1")).toEqual({ system: "onboarding", externalId: "v-1" });
    expect(isRecordId("onboarding:v-1")).toBe(false);
    expect(isRecordId("0b8e4c1e-3f5a-4d8e-9a57-2f1c9b8d7e6f")).toBe(true);
  });
});

describe("the fleet configuration", () => {
  const config = withOwnValueMaps(defaultConfig);
  const users = bindingFor(config, "user", "onboarding")!;
  const maintenanceUsers = bindingFor(config, "user", "maintenance")!;

  it("maps onboarding roles to maintenance roles through the role table, and leaves an unmapped role for validation", () => {
    const doc = { id: "u1", companyId: "c1", vesselId: null, email: "A@B.io", fullName: "Ann", role: "CAPTAIN", approvalStatus: "approved", passwordHash: "$2b$10$x" };
    const m = mapIn(users, config.entities.user!, doc);
    expect(m.values.role).toBe("master");
    expect(m.included).toBe(true);
    expect(Object.values(m.values)).not.toContain("$2b$10$x");
    expect(mapIn(users, config.entities.user!, { ...doc, role: "PURSER" }).values.role).toBe("PURSER");
    expect(config.entities.user!.schema.safeParse({ ...m.values, role: "PURSER" }).error?.issues[0]?.path).toEqual(["role"]);
  });

  it("only approved onboarding documents pass the binding's filter", () => {
    expect(mapIn(users, config.entities.user!, { id: "u1", approvalStatus: "submitted" }).included).toBe(false);
  });

  it("never maps a password hash, in either direction", () => {
    for (const b of config.bindings) {
      for (const fb of Object.values(b.fields)) expect(fb.field.toLowerCase()).not.toContain("hash");
    }
    const { body } = mapOut(maintenanceUsers, config.entities.user!, { email: "a@b.io", fullName: "Ann", role: "master", passwordHash: "$2b$10$x" }, ["email", "fullName", "role", "passwordHash"]);
    expect(body).toEqual({ email: "a@b.io", full_name: "Ann", role: "master" });
  });

  it("an edit to one engine's role table does not reach another's", () => {
    const other = withOwnValueMaps(defaultConfig);
    config.valueMaps.roles!.entries.CAPTAIN = "crew";
    expect(mapIn(bindingFor(config, "user", "onboarding")!, config.entities.user!, { role: "CAPTAIN" }).values.role).toBe("crew");
    expect(mapIn(bindingFor(other, "user", "onboarding")!, other.entities.user!, { role: "CAPTAIN" }).values.role).toBe("master");
    expect(defaultConfig.valueMaps.roles!.entries.CAPTAIN).toBe("master");
  });

  it("a vessel with a wrong IMO check digit is invalid at its imoNumber field", () => {
    const r = config.entities.vessel!.schema.safeParse({ company: "c", name: "Aurora", imoNumber: "9074728" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["imoNumber"]);
  });
});
