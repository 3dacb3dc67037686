import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { bindingFor } from "~/sync/config";
import { SyncError } from "~/sync/errors";
import { runs, type TRunRow } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { emptyCounts } from "./run-counts";

/** `validate`: read everything, check each document against the entity's schema, write nothing. */
export const ZRunKind = z.enum(["full", "incremental", "selective", "dry-run", "validate"]);
export const ZRunTrigger = z.enum(["admin", "api", "schedule", "webhook", "cli"]);
export const ACTIVE_RUN_STATUSES = ["queued", "running", "awaiting-approval"];

/**
 * Records a new run. Only one run per (entity, system) at a time: a second request is refused with
 * CONFLICT naming the run that is going.
 */
export async function createRun(
  engine: Engine,
  opts: {
    entity: string;
    system: string;
    kind: z.infer<typeof ZRunKind>;
    trigger: z.infer<typeof ZRunTrigger>;
    startedBy: string | null;
    /** Runs started together (a fleet sync) share a group. */
    groupId?: string | null;
    /** Selective runs: what was asked for (external ids, record ids, date range). */
    options?: Record<string, unknown> | null;
  },
): Promise<TRunRow> {
  if (!engine.config.entities[opts.entity]) throw new SyncError("NOT_FOUND", `Unknown entity "${opts.entity}".`, { field: "entity" });
  if (!bindingFor(engine.config, opts.entity, opts.system)) {
    throw new SyncError("BAD_REQUEST", `${opts.entity} does not live in "${opts.system}".`, { field: "system" });
  }
  return engine.db.transaction(async (tx) => {
    // Serialise run creation for this pair so two requests cannot both pass the check.
    await tx.execute(sqlLock(opts.entity, opts.system));
    const [going] = await tx
      .select({ id: runs.id, status: runs.status })
      .from(runs)
      .where(and(eq(runs.entity, opts.entity), eq(runs.system, opts.system), inArray(runs.status, ACTIVE_RUN_STATUSES)))
      .limit(1);
    if (going) throw new SyncError("CONFLICT", `A run for ${opts.entity} in ${opts.system} is already going (${going.id}, ${going.status}).`, { details: { runId: going.id } });
    const [row] = await tx
      .insert(runs)
      .values({ entity: opts.entity, system: opts.system, kind: opts.kind, trigger: opts.trigger, startedBy: opts.startedBy, groupId: opts.groupId ?? null, counts: emptyCounts(), options: opts.options ?? null })
      .returning();
    return row!;
  });
}

const sqlLock = (entity: string, system: string) => sql`select pg_advisory_xact_lock(hashtext(${`run:${entity}:${system}`}))`;
