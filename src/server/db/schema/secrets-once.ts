import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * A secret Concord made for someone else (a new Maintenance Portal user's temporary password), kept
 * encrypted until one admin reveals it once, or 7 days; then the box is emptied. Never stored in clear.
 */
export const shownOnceSecrets = pgTable(
  "shown_once_secrets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** temporary-password */
    kind: text("kind").notNull(),
    recordId: uuid("record_id").notNull(),
    entity: text("entity").notNull(),
    system: text("system").notNull(),
    /** What it belongs to, shown beside it (e.g. the user's email). */
    label: text("label").notNull(),
    runId: uuid("run_id"),
    /** Who ran the sync: when an admin did from the console, only they may reveal it; otherwise (a webhook, a schedule, an API key, the CLI) any admin. */
    forUserId: text("for_user_id"),
    /** AES-GCM box (src/sync/secrets.ts); null once revealed. */
    box: text("box"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    revealedAt: timestamp("revealed_at", { withTimezone: true }),
    revealedBy: text("revealed_by"),
  },
  (t) => [index("shown_once_secrets_run").on(t.runId), index("shown_once_secrets_record").on(t.recordId)],
);

export type TShownOnceSecretRow = typeof shownOnceSecrets.$inferSelect;
