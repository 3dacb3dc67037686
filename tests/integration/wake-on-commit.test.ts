// Workers are woken by committing work (src/server/db/wake-on-commit.ts): the code that queues a delivery or
// stores a webhook event wakes them once its transaction commits, never before and never on a rollback; no
// caller wakes them by hand. Each action that makes work claimable wakes exactly once; a worker that would
// otherwise sleep a minute then sends it at once.
import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onWorkCommitted, type TWork } from "~/server/db/wake-on-commit";
import { deliveries, webhookEvents } from "~/server/db/schema";
import { Worker } from "~/server/engine/worker";
import { systemActor } from "~/server/services/actor";
import { replayDelivery } from "~/server/services/deliveries/replay-delivery";
import { enqueueMany } from "~/server/services/delivery/enqueue";
import { upsertRecord } from "~/server/services/records/upsert-record";
import { updateSystem } from "~/server/services/systems/update-system";
import { startHarness, type Harness } from "../helpers/harness";
import { until } from "../helpers/poll";

// No worker until the end: nothing but each test's own action commits work, so every wake-up seen is its own.
let h: Harness;
let worker: Worker | null = null;
beforeAll(async () => {
  h = await startHarness({ worker: false });
}, 60_000);
afterAll(async () => {
  await worker?.stop();
  await h?.stop();
});

/** Every wake-up committed through the test's database handle, in order. */
function wakes(): { seen: TWork[][]; off: () => void } {
  const seen: TWork[][] = [];
  const off = onWorkCommitted(h.t.db, (work) => seen.push([...work].sort()));
  return { seen, off };
}

describe("work committed wakes the workers", () => {
  it("a delivery queued in a transaction wakes once, after the commit; a rolled-back one wakes nobody", async () => {
    const { record } = await upsertRecord({ engine: h.engine, actor: systemActor, input: { entity: "industry", origin: "dashboard", data: { name: "Tidal", slug: "tidal" } } });
    const w = wakes();
    try {
      const row = { recordId: record.id, entity: "industry", system: "cms", fields: ["name"], runId: null };
      await h.t.db.transaction(async (tx) => {
        await enqueueMany(tx, [row]);
        await tx.transaction(async (savepoint) => enqueueMany(savepoint, [{ ...row, system: "lead-centre" }]));
        expect(w.seen).toEqual([]); // not yet committed: a worker would not see the rows
      });
      expect(w.seen).toEqual([["deliveries"]]); // one wake-up for the whole transaction, savepoint included

      await expect(
        h.t.db.transaction(async (tx) => {
          await enqueueMany(tx, [row]);
          throw new Error("changed my mind");
        }),
      ).rejects.toThrow("changed my mind");
      expect(w.seen).toEqual([["deliveries"]]);

      await enqueueMany(h.t.db, [row]); // outside a transaction the statement is its own commit
      expect(w.seen).toEqual([["deliveries"], ["deliveries"]]);
    } finally {
      w.off();
    }
  });

  it("each way work becomes claimable wakes once it commits: an admin's edit, a replay, a system enabled, a stored webhook", async () => {
    const cms = h.samples.system("cms");
    const w = wakes();
    try {
      const edited = await upsertRecord({ engine: h.engine, actor: systemActor, input: { entity: "industry", origin: "dashboard", data: { name: "Wave", slug: "wave" } } });
      expect(w.seen).toEqual([["deliveries"]]);

      const [queued] = await h.t.db.select().from(deliveries).where(sql`${deliveries.recordId} = ${edited.record.id} and ${deliveries.system} = 'cms'`);
      await h.t.db.update(deliveries).set({ status: "dead" }).where(eq(deliveries.id, queued!.id));
      w.seen.length = 0;
      await replayDelivery({ engine: h.engine, actor: systemActor, input: { id: queued!.id } });
      expect(w.seen).toEqual([["deliveries"]]);

      w.seen.length = 0;
      await updateSystem({ engine: h.engine, actor: systemActor, input: { key: "cms", timeoutMs: 5_000 } });
      expect(w.seen).toEqual([]); // nothing became claimable
      await updateSystem({ engine: h.engine, actor: systemActor, input: { key: "cms", enabled: false } });
      await updateSystem({ engine: h.engine, actor: systemActor, input: { key: "cms", enabled: true } });
      expect(w.seen).toEqual([["deliveries"]]);

      w.seen.length = 0;
      const events = async () => (await h.t.db.select({ n: count() }).from(webhookEvents))[0]!.n;
      const before = await events();
      h.samples.system("dashboard").create({ name: "Geothermal", slug: "geothermal", description: "Heat from below.", is_active: true });
      await h.samples.system("dashboard").webhooksIdle();
      const stored = (await events()) - before;
      expect(stored).toBeGreaterThan(0);
      expect(w.seen).toEqual(Array.from({ length: stored }, () => ["inbox"])); // one per event stored
    } finally {
      w.off();
    }

    // A worker that would sleep a minute unless woken (its first look finds the queue) takes all of it at once.
    worker = new Worker(h.engine, { concurrency: 4, idleMs: 60_000 });
    worker.start();
    await until("the edit and the webhook's record in the CMS", () => ["wave", "geothermal"].every((slug) => cms.all().some((d) => d.slug === slug)), 10_000);
  });
});
