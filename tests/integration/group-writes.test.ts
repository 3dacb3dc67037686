import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveries, deliveryAttempts, links } from "~/server/db/schema";
import { claimDeliveries } from "~/server/services/delivery/claim";
import { noteSent } from "~/server/services/delivery/echo-ledger";
import { recordManyInOneStatement } from "~/server/services/delivery/finish-delivery";
import { applyChange } from "~/server/services/ingest/apply-change";
import { startHarness, type Harness } from "../helpers/harness";

// The worker writes the ledger entries and the successes of deliveries that finish together in one statement.
// Each delivery must get its own entry and its own outcome, however the group is made up.

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: false });
});
afterAll(async () => {
  await h?.stop();
});

async function claimedPair(slug: string) {
  const dashboard = h.samples.system("dashboard");
  dashboard.setConfig({ webhooks: false });
  const d = dashboard.create({ name: `Group ${slug}`, slug, description: "x", is_active: true, cms_id: null });
  const r = await h.engine.db.transaction((tx) =>
    applyChange(tx, h.engine.config, { entity: "industry", system: "dashboard", kind: "create", externalId: String(d.id), doc: { ...d }, eventTime: null }, h.engine.now()),
  );
  const claimed = (await claimDeliveries(h.engine, { limit: 50, leaseMs: 60_000 })).filter((c) => c.record_id === r.recordId);
  expect(claimed.map((c) => c.system).sort()).toEqual(["cms", "lead-centre"]);
  return { recordId: r.recordId!, claimed };
}

describe("grouped writes of the delivery path", () => {
  it("sends noted at the same moment each land on their own delivery", async () => {
    const { claimed } = await claimedPair("group-notes");
    await Promise.all(claimed.map((c) => noteSent(h.engine, c.id, { name: `sent to ${c.system}` }, null)));
    const rows = await h.engine.db.select({ id: deliveries.id, sent: deliveries.sent }).from(deliveries).where(inArray(deliveries.id, claimed.map((c) => c.id)));
    for (const c of claimed) {
      const row = rows.find((r) => Number(r.id) === Number(c.id))!;
      expect(row.sent).toEqual([{ values: { name: `sent to ${c.system}` } }]);
    }
  });

  it("two successes of one record in one group are both recorded, and a write-back both ask for is queued once", async () => {
    const { recordId, claimed } = await claimedPair("group-success");
    const started = Date.now();
    const linked = await recordManyInOneStatement(
      h.engine,
      claimed.map((c) => ({
        claimed: c,
        s: { action: "create", externalId: `ext-${c.system}`, sent: { name: "Group group-success" }, created: true, attempts: [], started },
        // Both ask the Dashboard to keep their id: the same (record, system) outbox row.
        keepers: ["dashboard"],
      })),
    );
    expect(linked.sort()).toEqual(["ext-cms", "ext-lead-centre"]);
    const done = await h.engine.db.select({ status: deliveries.status }).from(deliveries).where(inArray(deliveries.id, claimed.map((c) => c.id)));
    expect(done.map((d) => d.status)).toEqual(["succeeded", "succeeded"]);
    const stored = await h.engine.db.select().from(links).where(eq(links.recordId, recordId));
    expect(stored.filter((l) => l.system !== "dashboard").map((l) => `${l.system}=${l.externalId}`).sort()).toEqual(["cms=ext-cms", "lead-centre=ext-lead-centre"]);
    const writeBacks = await h.engine.db
      .select({ fields: deliveries.fields })
      .from(deliveries)
      .where(and(eq(deliveries.recordId, recordId), eq(deliveries.system, "dashboard"), eq(deliveries.status, "pending")));
    expect(writeBacks).toHaveLength(1);
    expect([...writeBacks[0]!.fields].sort()).toEqual(["@cms", "@lead-centre"]);
  });

  it("a success whose response excerpt is cut inside an emoji is recorded, with the excerpt cut before it", async () => {
    const { claimed } = await claimedPair("group-emoji");
    const started = Date.now();
    const excerpt = `${"x".repeat(499)}😀`; // 501 UTF-16 units: the 500-unit cut falls inside the emoji
    const attempt = { method: "POST", url: "http://cms.test/api/industries", status: 201, excerpt, durationMs: 3 };
    await recordManyInOneStatement(
      h.engine,
      claimed.map((c) => ({ claimed: c, s: { action: "create", externalId: `emoji-${c.system}`, sent: { name: "Group group-emoji" }, created: true, attempts: [attempt], started }, keepers: [] })),
    );
    const done = await h.engine.db.select({ status: deliveries.status }).from(deliveries).where(inArray(deliveries.id, claimed.map((c) => c.id)));
    expect(done.map((d) => d.status)).toEqual(["succeeded", "succeeded"]);
    const stored = await h.engine.db.select({ excerpt: deliveryAttempts.excerpt }).from(deliveryAttempts).where(inArray(deliveryAttempts.deliveryId, claimed.map((c) => c.id)));
    expect(stored.map((a) => a.excerpt)).toEqual(["x".repeat(499), "x".repeat(499)]);
  });
});
