import { bigint, index, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

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
