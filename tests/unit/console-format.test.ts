import { describe, expect, it } from "vitest";
import { formatDuration, requestsText } from "~/components/console/format";
import { bestNearMatch } from "~/server/services/duplicates/near-match-screen";
import { prepareName } from "~/server/services/linking/name-similarity";

describe("console wording", () => {
  it("never says 60 s: a duration rounds to whole seconds before splitting into minutes", () => {
    expect(formatDuration(119_600)).toBe("2 min");
    expect(formatDuration(61_000)).toBe("1 min 1 s");
    expect(formatDuration(3_599_700)).toBe("1 h");
  });

  it("says a delivery's requests and failures the same way everywhere", () => {
    expect(requestsText(1, 0)).toBe("1 request");
    expect(requestsText(4, 2)).toBe("4 requests, 2 failed");
  });
});

describe("near-match screen", () => {
  const doc = (name: string, naturalKey: string) => ({ externalId: naturalKey, name, naturalKey, prepared: prepareName(name) });
  const screen = { system: "cms", minScore: 0.7, docs: [doc("Kitchen Fitters", "kitchen-fitters"), doc("Heat Pump Installation", "heat-pump-installation")] };

  it("finds a resembling document, but never one with the record's own key or one another record holds", () => {
    expect(bestNearMatch(screen, { name: "Kitchen Fitting", naturalKey: "kitchen-fitting" }, new Set())).toMatchObject({ doc: { naturalKey: "kitchen-fitters" }, reason: "similar name" });
    expect(bestNearMatch(screen, { name: "Kitchen Fitting", naturalKey: "kitchen-fitting" }, new Set(["kitchen-fitters"]))).toBeNull();
    expect(bestNearMatch({ ...screen, docs: [...screen.docs, doc("Kitchen Fitting", "kitchen-fitting")] }, { name: "Kitchen Fitting", naturalKey: "kitchen-fitting" }, new Set())).toBeNull();
    expect(bestNearMatch(screen, { name: "Solar Panel Installation", naturalKey: "solar-panel-installation" }, new Set())).toBeNull(); // 0.67 < 0.7
  });
});
