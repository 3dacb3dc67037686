import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { webhookEventAttempts, webhookEvents } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { ZSystemKey } from "../systems/system-view";
import { openToSettle } from "./settle-webhook-events";
import { eventAbout } from "./claim-webhook-events";

export const ZListWebhookEventsInput = z.object({ system: ZSystemKey, limit: z.number().int().min(1).max(200).default(50) });

const ZEventAttempt = z.object({ at: z.date(), outcome: z.string(), error: z.string(), durationMs: z.number() });
export const ZWebhookEventView = z.object({
  id: z.number(),
  /** failed: out of retries, waits for an admin; retrying: failed at least once, tried again at `nextTryAt`. */
  status: z.enum(["failed", "retrying"]),
  /** What the envelope says it is about (`industry.updated`, document `42`); null when the body cannot be read. */
  type: z.string().nullable(),
  documentId: z.string().nullable(),
  receivedAt: z.date(),
  nextTryAt: z.date().nullable(),
  error: z.string().nullable(),
  attempts: z.array(ZEventAttempt),
});
export type TWebhookEventView = z.infer<typeof ZWebhookEventView>;
export const ZWebhookEventList = z.object({ items: z.array(ZWebhookEventView), failed: z.number(), retrying: z.number() });

/** The newest attempts shown per event (an event has at most the events' retry schedule's worth, 8). */
const ATTEMPTS_SHOWN = 10;

/**
 * A system's stored webhook events that did not apply: those out of retries (failed, waiting for an admin to replay
 * or dismiss them) and those still being retried, newest first, each with its attempts. Never the body itself: only
 * what the envelope says it is about.
 */
export async function listWebhookEvents({ engine, input }: { engine: Engine; input: z.input<typeof ZListWebhookEventsInput> }): Promise<z.infer<typeof ZWebhookEventList>> {
  const { system, limit } = ZListWebhookEventsInput.parse(input);
  const troubled = and(eq(webhookEvents.system, system), openToSettle);
  const [rows, [counts]] = await Promise.all([
    engine.db.select().from(webhookEvents).where(troubled).orderBy(desc(webhookEvents.id)).limit(limit),
    engine.db.select({ failed: sql<number>`count(*) filter (where ${webhookEvents.status} = 'failed')::int`, all: sql<number>`count(*)::int` }).from(webhookEvents).where(troubled),
  ]);
  const attempts = rows.length
    ? await engine.db.select().from(webhookEventAttempts).where(inArray(webhookEventAttempts.eventId, rows.map((r) => r.id))).orderBy(desc(webhookEventAttempts.id))
    : [];
  const items = rows.map((r): TWebhookEventView => {
    const { type, documentId } = eventAbout(engine, system, r.body);
    return {
      id: r.id,
      status: r.status === "failed" ? "failed" : "retrying",
      type,
      documentId,
      receivedAt: r.receivedAt,
      nextTryAt: r.status === "failed" ? null : r.leaseUntil,
      error: r.error,
      attempts: attempts.filter((a) => a.eventId === r.id).slice(0, ATTEMPTS_SHOWN).map((a) => ({ at: a.at, outcome: a.outcome, error: a.error, durationMs: a.durationMs })),
    };
  });
  return { items, failed: Number(counts?.failed ?? 0), retrying: Number(counts?.all ?? 0) - Number(counts?.failed ?? 0) };
}
