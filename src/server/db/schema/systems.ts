import { boolean, integer, jsonb, pgTable, real, text, timestamp } from "drizzle-orm/pg-core";

/** A system's connection, edited by admins. Secrets are AES-256-GCM ciphertext, never returned. */
export const systems = pgTable("systems", {
  key: text("key").primaryKey(),
  baseUrl: text("base_url").notNull().default(""),
  /** The whole credential header value (e.g. "Bearer …", "users API-Key …"), encrypted. */
  authEncrypted: text("auth_encrypted"),
  /** JSON array of webhook secrets (several during a rotation), encrypted. */
  webhookSecretsEncrypted: text("webhook_secrets_encrypted"),
  rateLimitPerSecond: real("rate_limit_per_second").notNull().default(10),
  retrySchedule: jsonb("retry_schedule").$type<{ delaysSeconds: number[]; jitter: number }>(),
  timeoutMs: integer("timeout_ms").notNull().default(10_000),
  enabled: boolean("enabled").notNull().default(true),
  /** Paused automatically after repeated failures; deliveries wait, nothing is lost. */
  pausedUntil: timestamp("paused_until", { withTimezone: true }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Pacing of requests to a system, shared through the database by every worker process: each request
 * reserves the next free slot (one every 1/limit seconds), so together they never exceed the limit.
 */
export const ratePacing = pgTable("rate_pacing", {
  system: text("system").primaryKey(),
  nextAt: timestamp("next_at", { withTimezone: true, precision: 6 }).notNull(),
});

export type TSystemRow = typeof systems.$inferSelect;
