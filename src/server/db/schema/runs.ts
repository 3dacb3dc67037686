import { bigint, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

export type TRunCounts = {
  fetched: number;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  echoes: number;
  conflicts: number;
  failed: number;
  linked: number;
};

/** Where a run has got to: see continue-run.ts. */
export type TRunPosition = {
  /** list: reading the listing from `cursor` (null: the first page); ids: selected documents from `offset`; range: a selective run's date range from `cursor`; listed: everything is read. */
  stage: "list" | "ids" | "range" | "listed";
  cursor: string | null;
  offset: number;
  /** Full and incremental runs: Concord's clock when the listing began — the next sync cursor once it completes. */
  cursorAt: string | null;
  /** Pages committed so far. */
  pages: number;
  /** The source's failures in a row (reset by a committed page), and the last one's words. */
  failures: number;
  lastError: string | null;
};

export type TRunContinuation = { by: "tick" | "worker" | "request"; at: string; owner: string };

/** One sync operation: full (reconcile), incremental, selective or dry-run. */
export const runs = pgTable(
  "runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    entity: text("entity").notNull(),
    /** The system read from (the source side of the reconcile). */
    system: text("system").notNull(),
    kind: text("kind", { enum: ["full", "incremental", "selective", "dry-run", "validate"] }).notNull(),
    trigger: text("trigger", { enum: ["admin", "api", "schedule", "webhook", "cli"] }).notNull(),
    /** queued | running | succeeded | failed | cancelled | awaiting-approval */
    status: text("status").notNull().default("queued"),
    phase: text("phase"),
    counts: jsonb("counts").$type<TRunCounts>().notNull(),
    error: text("error"),
    /** For dry-runs and paused runs: the plan, per record and field. */
    plan: jsonb("plan"),
    /** Selective runs: the records, external ids or date range asked for; incremental: the window read. */
    options: jsonb("options").$type<Record<string, unknown>>(),
    startedBy: text("started_by"),
    /**
     * Where the run has got to, committed with each page's effects (continue-run.ts): the listing's next
     * cursor, the offset into selected ids, the stage, the next sync cursor, and the source's failures in a row.
     */
    position: jsonb("position").$type<TRunPosition>(),
    /** The process working on the run and until when (renewed while it works); a run whose lease ran out is continued by any process. */
    leaseOwner: text("lease_owner"),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    /** Every time a process took the run up: the first start, then each continuation (by tick, worker or request). */
    continuations: jsonb("continuations").$type<TRunContinuation[]>().notNull().default([]),
    /** Runs started together (a fleet sync: companies, then vessels, equipment, users) share a group. */
    groupId: uuid("group_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("runs_created").on(t.createdAt), index("runs_entity_system").on(t.entity, t.system, t.status), index("runs_group").on(t.groupId)],
);

/** The outcome of one item of a run, with the error in the target's own words when it failed. */
export const runItems = pgTable(
  "run_items",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    runId: uuid("run_id").notNull(),
    recordId: uuid("record_id"),
    externalId: text("external_id"),
    label: text("label"),
    outcome: text("outcome").notNull(),
    error: text("error"),
    /** For an invalid item: the canonical field the error is about. */
    field: text("field"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("run_items_run").on(t.runId, t.id)],
);

/**
 * The external ids a full run's listing held, page by page: the deletes it infers are the linked ids
 * not here (an anti-join), so no process keeps a whole system's ids in memory. Scratch: removed when
 * the run ends, and with the run's history.
 */
export const runSeen = pgTable(
  "run_seen",
  {
    runId: uuid("run_id").notNull(),
    externalId: text("external_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.externalId] })],
);

export type TRunRow = typeof runs.$inferSelect;
