import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/** Concord's canonical copy of one entity instance. */
export const records = pgTable(
  "records",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    entity: text("entity").notNull(),
    /** The natural key's value (slug, IMO number…), unique among live records of an entity. */
    naturalKey: text("natural_key").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    /** field → { at, by }: when and from which system each field last changed. */
    stamps: jsonb("stamps").$type<Record<string, { at: string; by: string }>>().notNull().default({}),
    /** field → open conflict id: the field waits until resolved. */
    held: jsonb("held").$type<Record<string, string>>().notNull().default({}),
    version: integer("version").notNull().default(1),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("records_natural_key_live").on(t.entity, t.naturalKey).where(sql`${t.deletedAt} is null`),
    index("records_entity_updated").on(t.entity, t.updatedAt),
  ],
);

/** record × system → that system's id, with the values Concord and that system last agreed on. */
export const links = pgTable(
  "links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    recordId: uuid("record_id")
      .notNull()
      .references(() => records.id, { onDelete: "cascade" }),
    entity: text("entity").notNull(),
    system: text("system").notNull(),
    externalId: text("external_id").notNull(),
    lastValues: jsonb("last_values").$type<Record<string, unknown>>(),
    lastHash: text("last_hash"),
    /**
     * The newest version of the document Concord has seen in that system (its own `updatedAt`, from an
     * event, a listing or a write's answer). An event older than this describes a state the system has
     * since left: it may still carry an edit, but it no longer tells what the system holds.
     */
    seenAt: timestamp("seen_at", { withTimezone: true }),
    /** "sync" (Concord made or matched it), "natural-key", "manual" (an admin), "id-field" (e.g. cms_id). */
    origin: text("origin").notNull().default("sync"),
    lastSyncedAt: timestamp("last_synced_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("links_record_system").on(t.recordId, t.system),
    uniqueIndex("links_system_external").on(t.system, t.entity, t.externalId),
  ],
);

/** One observed change to a record from one system, with its outcome and the raw event. */
export const changes = pgTable(
  "changes",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    recordId: uuid("record_id"),
    entity: text("entity").notNull(),
    system: text("system").notNull(),
    externalId: text("external_id"),
    kind: text("kind", { enum: ["create", "update", "delete"] }).notNull(),
    /** applied | echo | unchanged | stale | conflict | foreign | ignored | invalid | created | deleted | linked */
    outcome: text("outcome").notNull(),
    fields: jsonb("fields").$type<string[]>().notNull().default([]),
    detail: text("detail"),
    sourceTime: timestamp("source_time", { withTimezone: true }),
    webhookEventId: bigint("webhook_event_id", { mode: "number" }),
    runId: uuid("run_id"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("changes_record_at").on(t.recordId, t.at), index("changes_at").on(t.at)],
);

export type TRecordRow = typeof records.$inferSelect;
export type TLinkRow = typeof links.$inferSelect;
