import { describe, expect, it } from "vitest";
import { SAMPLE_INDUSTRIES, generateIndustries, sampleIndustries } from "../../demo/data/industries";
import { startSampleSystems } from "../../demo/server";

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

describe("sample data", () => {
  it("splits ~50 industries between the dashboard and the CMS", () => {
    const count = (p: string) => SAMPLE_INDUSTRIES.filter((e) => e.placement === p).length;
    expect(count("dashboard")).toBe(30);
    expect(count("cms")).toBe(8);
    expect(count("both")).toBe(12);
    const both = SAMPLE_INDUSTRIES.filter((e) => e.placement === "both");
    const differing = both.filter((e) => e.dashboard!.name !== e.cms!.name);
    expect(differing.map((e) => [e.dashboard!.name, e.cms!.name])).toEqual([
      ["Roofing", "Roofing Services"],
      ["Kitchen Fitting", "Kitchen Fitters"],
    ]);
    const { dashboard, cms, leadCentre } = sampleIndustries();
    expect([dashboard.length, cms.length, leadCentre.length]).toEqual([42, 20, 0]);
    for (const s of [...dashboard, ...cms]) {
      expect(s.slug).toMatch(SLUG);
      expect(s.description.length).toBeGreaterThan(10);
    }
    expect(new Set(dashboard.map((s) => s.slug)).size).toBe(42);
    expect(new Set(cms.map((s) => s.slug)).size).toBe(20);
  });

  it("is deterministic and unlinked when loaded", async () => {
    const a = await startSampleSystems({ seed: true });
    const b = await startSampleSystems({ seed: true });
    try {
      expect(a.system("dashboard").all()).toEqual(b.system("dashboard").all());
      expect(a.system("cms").all()).toEqual(b.system("cms").all());
      expect(a.system("dashboard").all().every((d) => d.cms_id === null)).toBe(true);
      expect(a.system("dashboard").stats().writes).toEqual({ create: 0, update: 0, delete: 0 });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("generates n distinct synthetic industries cheaply", () => {
    const list = generateIndustries(100_000);
    expect(list.length).toBe(100_000);
    expect(new Set(list.map((s) => s.slug)).size).toBe(100_000);
    expect(new Set(list.map((s) => s.name)).size).toBe(100_000);
    for (const s of list.slice(0, 1000)) expect(s.slug).toMatch(SLUG);
    expect(generateIndustries(3, 500)).toEqual(list.slice(500, 503));
  });
});
