import { boolean, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** A cron schedule per binding (entity × system): which run kind, and when it last and next runs. */
export const schedules = pgTable(
  "schedules",
  {
    entity: text("entity").notNull(),
    system: text("system").notNull(),
    cron: text("cron").notNull(),
    timezone: text("timezone").notNull().default("UTC"),
    kind: text("kind", { enum: ["full", "incremental"] }).notNull().default("incremental"),
    enabled: boolean("enabled").notNull().default(false),
    nextRunAt: timestamp("next_run_at", { withTimezone: true }),
    lastRunAt: timestamp("last_run_at", { withTimezone: true }),
    lastRunId: uuid("last_run_id"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.entity, t.system] })],
);

/** Where the next incremental run of a binding starts reading (the system's updated-at). */
export const syncCursors = pgTable(
  "sync_cursors",
  {
    entity: text("entity").notNull(),
    system: text("system").notNull(),
    since: timestamp("since", { withTimezone: true, precision: 3 }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.entity, t.system] })],
);

/** Admin-editable settings (history retention, the mass-delete share…), one JSON value per key. */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
