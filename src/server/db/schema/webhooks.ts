import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/** Every accepted webhook, stored before Concord answers 2xx; `webhook-id` is unique per system. */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    system: text("system").notNull(),
    webhookId: text("webhook_id").notNull(),
    body: text("body").notNull(),
    /** pending → processed | failed */
    status: text("status").notNull().default("pending"),
    attempts: bigint("attempts", { mode: "number" }).notNull().default(0),
    error: text("error"),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
    summary: jsonb("summary"),
  },
  (t) => [uniqueIndex("webhook_events_dedupe").on(t.system, t.webhookId), index("webhook_events_pending").on(t.status, t.id)],
);

export type TWebhookEventRow = typeof webhookEvents.$inferSelect;

/**
 * Each failed attempt to apply a stored webhook event, as deliveries keep theirs: when, what went wrong, how long it
 * took and what was decided (retrying on the events' schedule, or failed). A success is the event's own row
 * (processed, with its summary). Pruned with the event.
 */
export const webhookEventAttempts = pgTable(
  "webhook_event_attempts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    eventId: bigint("event_id", { mode: "number" })
      .notNull()
      .references(() => webhookEvents.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    /** retrying | failed */
    outcome: text("outcome").notNull(),
    error: text("error").notNull(),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [index("webhook_event_attempts_event").on(t.eventId, t.id)],
);

export type TWebhookEventAttemptRow = typeof webhookEventAttempts.$inferSelect;
