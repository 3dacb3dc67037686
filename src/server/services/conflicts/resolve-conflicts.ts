import { and, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { isSyncError, SyncError } from "~/sync/errors";
import type { Db } from "~/server/db";
import { conflicts, type TConflictRow } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { writeAudit } from "../write-audit";
import { chooseSide, ZBulkPolicy } from "./choose-side";
import { conflictWhere, ZConflictFilter } from "./list-conflicts";
import { settleConflict, type TSettled } from "./settle-conflict";

export const MAX_BULK_RESOLVE = 2000;

/** Chosen conflicts by id, or every open conflict matching a filter, confirmed by the count the admin was shown. */
export const ZResolveConflictsInput = z.union([
  z.object({ ids: z.array(z.uuid()).min(1).max(500), policy: ZBulkPolicy }),
  z.object({ filter: ZConflictFilter, expectedCount: z.number().int().min(0).max(MAX_BULK_RESOLVE), policy: ZBulkPolicy }),
]);

export const ZResolveConflictsResult = z.object({
  resolved: z.number(),
  /** Asked for, but not found or no longer open (e.g. settled with another conflict on the same field). */
  skipped: z.number(),
  /** Conflicts whose chosen value the record could not take, each with why; the others went ahead. */
  refused: z.array(z.object({ conflictId: z.string(), field: z.string(), message: z.string() })),
});
export type TResolveConflictsResult = z.infer<typeof ZResolveConflictsResult>;

async function lockTargets(tx: Db, input: z.infer<typeof ZResolveConflictsInput>): Promise<TConflictRow[]> {
  // Newest first: when several conflicts hold the same field, the latest decides and settles the rest.
  if ("ids" in input) {
    return tx.select().from(conflicts).where(and(inArray(conflicts.id, input.ids), eq(conflicts.status, "open"))).orderBy(desc(conflicts.createdAt)).for("update");
  }
  const rows = await tx.select().from(conflicts).where(conflictWhere({ status: "open", ...input.filter })).orderBy(desc(conflicts.createdAt)).limit(MAX_BULK_RESOLVE + 1).for("update");
  if (rows.length !== input.expectedCount) {
    const now = rows.length > MAX_BULK_RESOLVE ? `More than ${MAX_BULK_RESOLVE}` : String(rows.length);
    throw new SyncError("CONFLICT", `${now} open conflicts match now, not ${input.expectedCount}: reload and confirm again.`, { field: "expectedCount" });
  }
  return rows;
}

/**
 * Resolves many open conflicts by one policy — theirs, ours, the newest change, or the entity's system
 * priority — each as a single resolution would (schema-checked, propagated), in one transaction with a
 * savepoint per conflict, so one the record cannot take is reported and the others still go ahead.
 * One audit row lists what was decided.
 */
export async function resolveConflicts({ engine, actor, input }: { engine: Engine; actor: TActor; input: z.input<typeof ZResolveConflictsInput> }): Promise<TResolveConflictsResult> {
  const parsed = ZResolveConflictsInput.parse(input);
  const at = engine.now();
  const result = await engine.db.transaction(async (tx) => {
    const rows = await lockTargets(tx, parsed);
    const settled: TSettled[] = [];
    const refused: TResolveConflictsResult["refused"] = [];
    const done = new Set<string>();
    for (const c of rows) {
      if (done.has(c.id)) continue; // settled with a newer conflict on the same field
      const entity = engine.config.entities[c.entity];
      try {
        const s = await tx.transaction(async (sp) => {
          const pick = entity ? await chooseSide(sp, { policy: parsed.policy, conflict: c, entity }) : "ours";
          return settleConflict(sp, { config: engine.config, actor, conflictId: c.id, pick, at });
        });
        settled.push(s);
        for (const id of s.superseded) done.add(id);
      } catch (err) {
        if (!isSyncError(err)) engine.log.error({ err, conflictId: c.id }, "resolving a conflict in bulk failed");
        refused.push({ conflictId: c.id, field: c.field, message: isSyncError(err) ? err.message : "Something went wrong on the server. It has been logged." });
      }
    }
    const asked = "ids" in parsed ? parsed.ids.length : rows.length;
    const out: TResolveConflictsResult = { resolved: settled.length, skipped: Math.max(0, asked - settled.length - refused.length), refused: refused.slice(0, 50) };
    await writeAudit(tx, {
      actor,
      action: "conflicts.resolveMany",
      target: "ids" in parsed ? `conflicts:${parsed.ids.length} by id` : `conflicts:open${parsed.filter.entity ? ` entity=${parsed.filter.entity}` : ""}${parsed.filter.system ? ` system=${parsed.filter.system}` : ""}`,
      before: "ids" in parsed ? { ids: parsed.ids.slice(0, 100), policy: parsed.policy } : { filter: parsed.filter, expectedCount: parsed.expectedCount, policy: parsed.policy },
      after: {
        resolved: out.resolved,
        skipped: out.skipped,
        refused: out.refused.length,
        items: settled.slice(0, 100).map((s) => ({ conflictId: s.conflictId, recordId: s.recordId, field: s.field, pick: s.pick, value: s.value, superseded: s.superseded })),
      },
    });
    return out;
  });
  return result;
}
