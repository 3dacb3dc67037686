import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** Keys internal tools use on /api/trpc. Only a SHA-256 of the key is kept; the key is shown once. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    /** The first characters of the key, to tell keys apart on a page. */
    prefix: text("prefix").notNull(),
    hash: text("hash").notNull().unique(),
    /** read | write | run */
    scopes: jsonb("scopes").$type<string[]>().notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_keys_created").on(t.createdAt)],
);

export type TApiKeyRow = typeof apiKeys.$inferSelect;
