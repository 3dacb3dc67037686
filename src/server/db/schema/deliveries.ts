import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/** Why a delivery cannot go until its parent is fixed, naming the parent. */
export type TBlocked = {
  reason: "invalid" | "not-approved" | "missing" | "dead";
  parent: { entity: string; name: string; recordId: string | null; system: string | null; externalId: string | null };
};

/**
 * One queued write of a record to one system (the transactional outbox). What it writes is decided
 * when it runs, from the record's current state. At most one waiting (pending or retrying) delivery per (record, system), plus at most one in flight.
 */
export const deliveries = pgTable(
  "deliveries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    recordId: uuid("record_id").notNull(),
    entity: text("entity").notNull(),
    system: text("system").notNull(),
    /** pending | in_flight | retrying | succeeded | dead | cancelled */
    status: text("status").notNull().default("pending"),
    /** What it did (create, update, delete, archive, noop), once known. */
    action: text("action"),
    fields: jsonb("fields").$type<string[]>().notNull().default([]),
    /**
     * What it wrote, or may have written, to the target: the canonical values of each send, kept before the
     * request goes out (a send whose answer is lost may still have been applied). The echo ledger: a
     * document that comes back holding one of these values holds Concord's copy, not a new edit.
     */
    sent: jsonb("sent").$type<Record<string, unknown>[]>(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    claimedBy: text("claimed_by"),
    lastError: text("last_error"),
    /** Why it waits without counting an attempt (a parent not yet there, a disabled system). */
    waitingFor: text("waiting_for"),
    /**
     * Set while it waits for a parent that cannot arrive as things stand (the parent failed validation, is
     * not approved, is gone from its system, or its own delivery went dead): why, and which parent, by name.
     * A pending delivery with this and `waiting_for` set is blocked, not waiting (whatever clears `waiting_for` —
     * a success, a failure, a replay — ends it); it goes when the parent is fixed and lands.
     */
    blocked: jsonb("blocked").$type<TBlocked>(),
    runId: uuid("run_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("deliveries_one_waiting").on(t.recordId, t.system).where(sql`${t.status} in ('pending', 'retrying')`),
    // Per system, in due order: a claim walks each claimable system's queue from its head, so deliveries held back
    // (a paused system, one a run is listing) are never walked past (drizzle/0011, concord_claim_deliveries).
    index("deliveries_due").on(t.system, t.nextAttemptAt, t.id).where(sql`${t.status} in ('pending', 'retrying')`),
    index("deliveries_in_flight").on(t.recordId, t.system).where(sql`${t.status} = 'in_flight'`),
    index("deliveries_record").on(t.recordId),
    index("deliveries_run").on(t.runId).where(sql`${t.runId} is not null`),
    index("deliveries_sent").on(t.recordId, t.system, t.id).where(sql`${t.sent} is not null`),
  ],
);

/** Every HTTP attempt of a delivery, with the target's own words. */
export const deliveryAttempts = pgTable(
  "delivery_attempts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    deliveryId: bigint("delivery_id", { mode: "number" }).notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    method: text("method"),
    url: text("url"),
    statusCode: integer("status_code"),
    /** success | retry | rate_limited | dead */
    outcome: text("outcome").notNull(),
    excerpt: text("excerpt"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull().default(0),
  },
  (t) => [index("delivery_attempts_delivery").on(t.deliveryId)],
);

/** Two systems changed the same field since they last agreed. */
export const conflicts = pgTable(
  "conflicts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    recordId: uuid("record_id").notNull(),
    entity: text("entity").notNull(),
    field: text("field").notNull(),
    base: jsonb("base"),
    theirs: jsonb("theirs"),
    theirsSystem: text("theirs_system").notNull(),
    ours: jsonb("ours"),
    oursSystem: text("ours_system"),
    /** open | resolved */
    status: text("status").notNull().default("open"),
    /** theirs | ours | held | edited, and by which policy or admin */
    resolution: text("resolution"),
    reason: text("reason").notNull(),
    resolvedBy: text("resolved_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
  },
  (t) => [index("conflicts_status").on(t.status, t.createdAt), index("conflicts_record").on(t.recordId)],
);

export type TDeliveryRow = typeof deliveries.$inferSelect;
export type TConflictRow = typeof conflicts.$inferSelect;
