import { sql } from "drizzle-orm";
import { index, pgTable, real, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/**
 * A create Concord held back: a full run would have made this record in `system`, which already holds an
 * unlinked document that resembles it (a near-match by name). An admin links the two, creates anyway, or
 * skips; until then nothing is written there.
 */
export const possibleDuplicates = pgTable(
  "possible_duplicates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    recordId: uuid("record_id").notNull(),
    entity: text("entity").notNull(),
    /** The system the create was bound for. */
    system: text("system").notNull(),
    /** The unlinked document there that resembles the record. */
    externalId: text("external_id").notNull(),
    externalName: text("external_name"),
    externalKey: text("external_key"),
    score: real("score").notNull(),
    reason: text("reason").notNull(),
    runId: uuid("run_id"),
    /** open | linked | created | skipped */
    status: text("status").notNull().default("open"),
    decidedBy: text("decided_by"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    /** Why a decision could not be carried out (the link was refused…), in the system's own words. */
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("possible_duplicates_open").on(t.recordId, t.system).where(sql`${t.status} = 'open'`),
    index("possible_duplicates_status").on(t.status, t.createdAt),
    index("possible_duplicates_run").on(t.runId),
  ],
);

export type TPossibleDuplicateRow = typeof possibleDuplicates.$inferSelect;
