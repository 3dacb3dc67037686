import { describe, expect, it } from "vitest";
import { bindingFor } from "~/sync/config";
import { echoView, type TSentEntry } from "~/sync/echo";
import { mergeChange, type TRecordState } from "~/sync/merge";
import { industryConfig } from "../../helpers/configs";

const config = industryConfig();
const entity = config.entities.industry!;
const cms = bindingFor(config, "industry", "cms")!;
const t = (s: string) => new Date(`2026-12-01T22:20:${s}Z`);

/**
 * The lost update the crash and load trials found, with their times: Concord created the industry in the CMS
 * as "Industry 2-9" (the CMS applied it at 46.671); the user renamed it in the Dashboard to e13, then to e17
 * (46.203); Concord wrote e13 to the CMS (answered at 47.5); only then does the CMS's echo of the create arrive.
 */
function issueState(): { record: TRecordState; ledger: TSentEntry[] } {
  return {
    record: { data: { name: "e17", slug: "i-2-9" }, stamps: { name: { at: t("46.203").toISOString(), by: "dashboard" } }, held: {} },
    ledger: [
      { values: { name: "e13" }, version: t("47.500").toISOString() },
      { values: { name: "Industry 2-9", slug: "i-2-9" }, version: t("46.671").toISOString() },
    ],
  };
}

describe("Concord's own copies coming back (the echo ledger)", () => {
  it("a late echo of an older write is never an edit, even when the origin applied it after the newer edit", () => {
    const { record, ledger } = issueState();
    const view = echoView(ledger, t("46.671"), t("47.500"));
    expect(view.current).toBe(false);
    const merge = mergeChange({ entity, origin: cms, record, lastAgreed: { name: "e13", slug: "i-2-9" }, incoming: { name: "Industry 2-9", slug: "i-2-9" }, sourceTime: t("46.671"), ...view });
    expect(merge.apply).toEqual({});
    expect(merge.conflicts).toEqual([]);
    expect(merge.echo).toBe(true);
    expect(merge.echoed).toEqual(["name"]);
    // out of date, and Concord wrote `name` there since: what the CMS holds is still what it last agreed
    expect(merge.agreed).not.toHaveProperty("name");
  });

  it("the same echo whose write's answer was lost (a crash) is still recognised", () => {
    const { record } = issueState();
    const ledger: TSentEntry[] = [{ values: { name: "e13" } }, { values: { name: "Industry 2-9", slug: "i-2-9" } }];
    const view = echoView(ledger, t("46.671"), null);
    const merge = mergeChange({ entity, origin: cms, record, lastAgreed: { name: "e13", slug: "i-2-9" }, incoming: { name: "Industry 2-9", slug: "i-2-9" }, sourceTime: t("46.671"), ...view });
    expect(merge.apply).toEqual({});
    expect(merge.conflicts).toEqual([]);
    expect(merge.echo).toBe(true);
  });

  it("without the ledger the same event wins last-write-wins: the bug this guards against", () => {
    const { record } = issueState();
    const merge = mergeChange({ entity, origin: cms, record, lastAgreed: { name: "e13", slug: "i-2-9" }, incoming: { name: "Industry 2-9", slug: "i-2-9" }, sourceTime: t("46.671") });
    expect(merge.apply).toEqual({ name: "Industry 2-9" });
  });

  it("a current echo of an older copy is not an edit, and what the origin holds is recorded so the newer value goes back", () => {
    const { record, ledger } = issueState();
    const view = echoView(ledger.slice(1), t("46.671"), t("46.671"));
    expect(view.current).toBe(true);
    const merge = mergeChange({ entity, origin: cms, record, lastAgreed: { name: "e13", slug: "i-2-9" }, incoming: { name: "Industry 2-9", slug: "i-2-9" }, sourceTime: t("46.671"), ...view });
    expect(merge.apply).toEqual({});
    expect(merge.agreed).toMatchObject({ name: "Industry 2-9" });
  });

  it("a state newer than every answered write that sets a value back is the origin's own edit", () => {
    const { record, ledger } = issueState();
    const view = echoView(ledger, t("50.000"), t("47.500"));
    const merge = mergeChange({ entity, origin: cms, record: { ...record, data: { ...record.data, name: "e13" } }, lastAgreed: { name: "e13", slug: "i-2-9" }, incoming: { name: "Industry 2-9", slug: "i-2-9" }, sourceTime: t("50.000"), ...view });
    expect(merge.apply).toEqual({ name: "Industry 2-9" });
    expect(merge.echo).toBe(false);
  });

  it("an out-of-date edit still wins by its time, and the fields Concord did not write since are what the origin holds", () => {
    const record: TRecordState = { data: { name: "d1", description: "x" }, stamps: { name: { at: t("10.000").toISOString(), by: "dashboard" } }, held: {} };
    // Concord wrote only the description after this state (at 30); the CMS user's rename at 20 is real
    const view = echoView([{ values: { description: "x" }, version: t("30.000").toISOString() }], t("20.000"), t("30.000"));
    const merge = mergeChange({ entity, origin: cms, record, lastAgreed: { name: "d1", description: "old" }, incoming: { name: "c1", description: "old" }, sourceTime: t("20.000"), ...view });
    expect(merge.apply).toEqual({ name: "c1" });
    expect(merge.agreed).toEqual({ name: "c1" });
  });

  it("an out-of-date state that only shows a field from before Concord overwrote it there is no edit of that field", () => {
    // The Dashboard's echo of Concord's cms_id write-back (at 12.868) still shows the name from before a CMS
    // rename that Concord then wrote to the Dashboard (answered at 18.073): an old value, not a new edit.
    const record: TRecordState = { data: { name: "N5-313" }, stamps: { name: { at: t("12.803").toISOString(), by: "cms" } }, held: {} };
    const dashboard = bindingFor(config, "industry", "dashboard")!;
    const ledger: TSentEntry[] = [
      { values: { name: "N5-313" }, prior: { name: "Industry 5-64" }, version: t("18.073").toISOString() },
      { values: { "@cms": "c1" }, version: t("12.868").toISOString() },
    ];
    const view = echoView(ledger, t("12.868"), t("18.073"));
    expect(view.heldThen).toEqual({ name: "Industry 5-64" });
    const merge = mergeChange({ entity, origin: dashboard, record, lastAgreed: { name: "N5-313" }, incoming: { name: "Industry 5-64" }, sourceTime: t("12.868"), ...view });
    expect(merge.apply).toEqual({});
    expect(merge.conflicts).toEqual([]);
  });

  it("a value that already lost a conflict, shown again in a later document of its system, does not win the second time", () => {
    // CMS rename N2-345 (37.318) lost to the Dashboard's N2-364 (38.285); the CMS's later document (39.252, an
    // edit of the description) still shows N2-345 and must not win by the description's time.
    const record: TRecordState = { data: { name: "N2-364" }, stamps: { name: { at: t("38.285").toISOString(), by: "dashboard" } }, held: {} };
    const input = { entity, origin: cms, record, lastAgreed: { name: "Industry 2-44" }, incoming: { name: "N2-345" }, sourceTime: t("39.252") };
    expect(mergeChange(input).apply).toEqual({ name: "N2-345" });
    const merge = mergeChange({ ...input, lostBefore: { name: ["N2-345"] } });
    expect(merge.apply).toEqual({});
    expect(merge.stale).toEqual(["name"]);
  });
});
