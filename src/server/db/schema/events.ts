import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Progress and outcome events (runs, deliveries) kept for a while, so a live subscriber that
 * reconnects with Last-Event-ID receives exactly what it missed, from any process.
 */
export const engineEvents = pgTable(
  "engine_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    type: text("type").notNull(),
    runId: uuid("run_id"),
    payload: jsonb("payload").notNull(),
  },
  (t) => [index("engine_events_run").on(t.runId, t.id), index("engine_events_at").on(t.at)],
);
