import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Counters for rate-limiter-flexible's Drizzle store (sign-in throttling), shared by every process. */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull().default(0),
  expire: timestamp("expire", { withTimezone: true, mode: "date" }),
});
