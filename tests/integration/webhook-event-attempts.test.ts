// A stored webhook event that cannot be applied keeps each failed attempt as data (webhook_event_attempts), is
// retried on the events' schedule, and once out of retries waits on its system's page for an admin: replayed, it
// applies; dismissed, it stays unapplied and is pruned like any processed event. Only failed or retrying events
// can be settled; anything else is refused and changes nothing.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENT_RETRY_SCHEDULE } from "~/sync/retry";
import { auditLog, webhookEventAttempts, webhookEvents } from "~/server/db/schema";
import { processWebhookEvents } from "~/server/services/webhooks/process-webhook-events";
import { callerFor, makeUser, sessionFor } from "../helpers/actors";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
let admin: ReturnType<typeof callerFor>;
let viewer: ReturnType<typeof callerFor>;
beforeAll(async () => {
  h = await startHarness({ worker: false });
  admin = callerFor(h.t.db, sessionFor(await makeUser(h.t.db, "events-admin@concord.test", "admin")), h.engine);
  viewer = callerFor(h.t.db, sessionFor(await makeUser(h.t.db, "events-viewer@concord.test", "viewer")), h.engine);
}, 60_000);
afterAll(async () => h?.stop());

/** A thin event (only the document's id): applying it reads the document from the Dashboard. */
async function storeThinEvent(webhookId: string, docId: number): Promise<number> {
  const body = JSON.stringify({ type: "industry.updated", timestamp: new Date().toISOString(), data: { id: docId } });
  const [row] = await h.t.db.insert(webhookEvents).values({ system: "dashboard", webhookId, body }).returning({ id: webhookEvents.id });
  return row!.id;
}
const event = async (id: number) => (await h.t.db.select().from(webhookEvents).where(eq(webhookEvents.id, id)))[0]!;
const attemptsOf = (id: number) => h.t.db.select().from(webhookEventAttempts).where(eq(webhookEventAttempts.eventId, id)).orderBy(webhookEventAttempts.id);

describe("webhook events that do not apply", () => {
  it("each failed attempt is kept with its decision; out of retries, the event is listed for its system with them", async () => {
    const dashboard = h.samples.system("dashboard");
    const doc = dashboard.create({ name: "Hydro", slug: "hydro", description: "d", is_active: true });
    await dashboard.webhooksIdle();
    await h.t.db.delete(webhookEvents).where(eq(webhookEvents.system, "dashboard")); // the create's own webhook is not this test's
    const id = await storeThinEvent("evt-fail-1", Number(doc.id));
    dashboard.setFaults({ down: true });
    try {
      expect(await processWebhookEvents(h.engine, { limit: 10 })).toBe(1);
      expect(await event(id)).toMatchObject({ status: "pending", attempts: 1 });
      expect((await attemptsOf(id)).map((a) => a.outcome)).toEqual(["retrying"]);

      // The last retry of the schedule: the event is failed now.
      await h.t.db.update(webhookEvents).set({ attempts: EVENT_RETRY_SCHEDULE.delaysSeconds.length, leaseUntil: null }).where(eq(webhookEvents.id, id));
      expect(await processWebhookEvents(h.engine, { limit: 10 })).toBe(1);
      expect((await event(id)).status).toBe("failed");
      const attempts = await attemptsOf(id);
      expect(attempts.map((a) => a.outcome)).toEqual(["retrying", "failed"]);
      expect(attempts.every((a) => a.error.length > 0 && a.durationMs >= 0)).toBe(true);
    } finally {
      dashboard.setFaults({ down: false });
    }

    const list = await viewer.webhooks.list({ system: "dashboard" });
    expect(list).toMatchObject({ failed: 1, retrying: 0 });
    expect(list.items).toEqual([
      expect.objectContaining({ id, status: "failed", type: "industry.updated", documentId: String(doc.id), nextTryAt: null, attempts: [expect.objectContaining({ outcome: "failed" }), expect.objectContaining({ outcome: "retrying" })] }),
    ]);
    expect(JSON.stringify(list)).not.toContain("Hydro"); // what it is about, never the body
    expect((await viewer.webhooks.list({ system: "cms" })).items).toEqual([]);
  });

  it("an admin replays it (it then applies) or dismisses another; viewers may not, and a processed event cannot be settled", async () => {
    const [failed] = (await admin.webhooks.list({ system: "dashboard" })).items;
    await expect(viewer.webhooks.settle({ ids: [failed!.id], action: "replay" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await event(failed!.id)).status).toBe("failed");

    expect(await admin.webhooks.settle({ ids: [failed!.id, 999_999], action: "replay" })).toEqual({ settled: [failed!.id], skipped: [999_999] });
    expect(await event(failed!.id)).toMatchObject({ status: "pending", attempts: 0, leaseUntil: null });
    // Replayed and not failed again: off the page, and a stale page's Dismiss cannot drop it unapplied.
    expect((await admin.webhooks.list({ system: "dashboard" })).items).toEqual([]);
    await expect(admin.webhooks.settle({ ids: [failed!.id], action: "dismiss" })).rejects.toMatchObject({ code: "CONFLICT" });
    await processWebhookEvents(h.engine, { limit: 10 });
    expect((await event(failed!.id)).status).toBe("processed");
    expect((await admin.webhooks.list({ system: "dashboard" })).items).toEqual([]);

    await expect(admin.webhooks.settle({ ids: [failed!.id], action: "dismiss" })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await event(failed!.id)).summary).not.toMatchObject({ outcome: "dismissed" });

    const other = await storeThinEvent("evt-fail-2", 424242); // marked failed by hand: only its settling is tested here
    await h.t.db.update(webhookEvents).set({ status: "failed", error: "kept for the test" }).where(eq(webhookEvents.id, other));
    expect(await admin.webhooks.settle({ ids: [other], action: "dismiss" })).toEqual({ settled: [other], skipped: [] });
    expect(await event(other)).toMatchObject({ status: "processed", summary: { outcome: "dismissed" } });
    const audit = await h.t.db.select().from(auditLog).where(eq(auditLog.action, "webhooks.settle")).orderBy(auditLog.id);
    expect(audit.map((a) => [a.target, a.after])).toEqual([
      ["system:dashboard", { action: "replay", ids: [failed!.id] }],
      ["system:dashboard", { action: "dismiss", ids: [other] }],
    ]);
  });
});
