import { bigint, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** One drift check of an entity: every linked record read live from each system and compared. */
export const driftChecks = pgTable(
  "drift_checks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    entity: text("entity").notNull(),
    /** running | done | failed */
    status: text("status").notNull().default("running"),
    checked: integer("checked").notNull().default(0),
    drifted: integer("drifted").notNull().default(0),
    error: text("error"),
    startedBy: text("started_by"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("drift_checks_entity").on(t.entity, t.startedAt)],
);

/** A linked record whose common field differs between Concord and one system, as last checked. */
export const driftItems = pgTable(
  "drift_items",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    checkId: uuid("check_id").notNull(),
    recordId: uuid("record_id").notNull(),
    entity: text("entity").notNull(),
    system: text("system").notNull(),
    externalId: text("external_id").notNull(),
    field: text("field").notNull(),
    concordValue: jsonb("concord_value"),
    systemValue: jsonb("system_value"),
    /** open | fixed (made to agree) */
    status: text("status").notNull().default("open"),
    fixedAt: timestamp("fixed_at", { withTimezone: true }),
  },
  (t) => [index("drift_items_check").on(t.checkId, t.recordId), index("drift_items_record").on(t.recordId)],
);
