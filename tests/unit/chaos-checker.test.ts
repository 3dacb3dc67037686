import { describe, expect, it } from "vitest";
import { check, failing, type Finals } from "../../scripts/chaos/checker";
import type { History } from "../../scripts/chaos/db";
import type { Write } from "../../scripts/chaos/writer";

const T = Date.parse("2026-01-01T00:00:00.000Z");
let seq = 0;
const write = (system: "dashboard" | "cms", op: "create" | "edit", values: Write["values"], at: number, status: Write["status"] = "ok"): Write => ({
  seq: ++seq,
  system,
  op,
  slug: "a",
  id: system === "dashboard" ? "1" : "c1",
  values,
  sentAt: T + at - 5,
  doneAt: T + at + 1,
  ackAt: status === "ok" ? T + at : null,
  status,
});

const history = (name: string, extra: Partial<History> = {}): History => ({
  records: [{ id: "r1", natural_key: "a", data: { name, slug: "a", description: "d", active: true }, stamps: {}, deleted_at: null }],
  links: [
    { record_id: "r1", system: "dashboard", external_id: "1" },
    { record_id: "r1", system: "cms", external_id: "c1" },
  ],
  events: [],
  deliveries: [],
  changes: [],
  conflicts: [],
  ...extra,
});

const finals = (dashName: string, cmsName: string, extra: Partial<Finals> = {}): Finals => ({
  dashboard: [{ id: 1, slug: "a", name: dashName, description: "d", is_active: true, cms_id: "c1" }],
  cms: [{ id: "c1", slug: "a", name: cmsName, description: "d", active: true }],
  outcomes: { dashboard: [], cms: [] },
  ...extra,
});

const writes = [write("dashboard", "create", { name: "n0", description: "d", active: true }, 0), write("dashboard", "edit", { name: "e13" }, 10), write("cms", "edit", { name: "e17" }, 20)];

describe("the chaos checker", () => {
  it("passes when every place holds the latest accepted edit", () => {
    expect(check(writes, finals("e17", "e17"), history("e17"))).toEqual([]);
  });

  it("reports a lost update in each place that holds an older value", () => {
    const v = check(writes, finals("e13", "e17"), history("e13"));
    expect(v.map((x) => `${x.kind} ${x.message.split(" ")[0]} ${x.message.split(" ")[2]}`)).toEqual(["lost-update a.name dashboard", "lost-update a.name concord"]);
  });

  it("counts apart a latest edit that a conflict row records losing by policy (and it does not fail the trial)", () => {
    const conflict = { id: "k1", record_id: "r1", field: "name", base: "n0", theirs: "e17", theirs_system: "cms", ours: "e13", ours_system: "dashboard", status: "resolved", resolution: "ours", reason: "lww", created_at: new Date(T + 30) };
    const v = check(writes, finals("e13", "e13"), history("e13", { conflicts: [conflict] }));
    expect(v.map((x) => x.kind)).toEqual(["recorded-loss", "recorded-loss", "recorded-loss"]);
    expect(failing(v)).toEqual([]);
  });

  it("accepts either value of a tie, and a value whose write got no answer", () => {
    const tie = [...writes, write("dashboard", "edit", { name: "e18" }, 20)];
    expect(check(tie, finals("e18", "e18"), history("e18"))).toEqual([]);
    const unknown = [...writes, write("dashboard", "edit", { name: "e19" }, 30, "unknown")];
    expect(check(unknown, finals("e19", "e19"), history("e19"))).toEqual([]);
  });

  it("ignores writes that were refused", () => {
    const refused = [...writes, write("cms", "edit", { name: "nope" }, 40, "failed")];
    expect(check(refused, finals("e17", "e17"), history("e17"))).toEqual([]);
  });

  it("reports duplicates, acknowledged-but-lost webhooks, stuck and dead work", () => {
    const f = finals("e17", "e17", {
      cms: [
        { id: "c1", slug: "a", name: "e17", description: "d", active: true },
        { id: "c2", slug: "a", name: "e17", description: "d", active: true },
      ],
      outcomes: { dashboard: [{ msgId: "msg_1", type: "industry.updated", record: "industries:1", queuedAt: T, outcome: "acked", at: T, reordered: false }], cms: [] },
    });
    const h = history("e17", {
      deliveries: [
        { id: 1, record_id: "r1", system: "cms", action: "update", status: "in_flight", fields: [], attempts: 1, created_at: new Date(T), finished_at: null, last_error: null },
        { id: 2, record_id: "r1", system: "cms", action: "update", status: "dead", fields: [], attempts: 4, created_at: new Date(T), finished_at: new Date(T), last_error: "boom" },
      ],
    });
    expect(check(writes, f, h).map((v) => v.kind)).toEqual(["duplicate", "ack-lost", "stuck", "dead"]);
  });
});
