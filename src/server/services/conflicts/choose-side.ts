import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { TEntity } from "~/sync/config";
import type { Db } from "~/server/db";
import { changes, conflicts, records, type TConflictRow } from "~/server/db/schema";

/** How a bulk resolution picks a side: always theirs, always ours, the later change, or the system ranked first. */
export const ZBulkPolicy = z.enum(["theirs", "ours", "newest", "priority"]);
export type TBulkPolicy = z.infer<typeof ZBulkPolicy>;

/**
 * When each side changed the field: theirs at the source time of the change that raised the conflict
 * (written in the same transaction, so at the same database time), else when Concord saw it; ours at the field's stamp (held fields keep theirs).
 */
async function sideTimes(tx: Db, c: TConflictRow): Promise<{ theirs: number; ours: number | null }> {
  const [change] = await tx
    .select({ sourceTime: changes.sourceTime })
    .from(changes)
    .where(and(eq(changes.recordId, c.recordId), eq(changes.system, c.theirsSystem), eq(changes.at, sql`(select ${conflicts.createdAt} from ${conflicts} where ${conflicts.id} = ${c.id})`)))
    .orderBy(desc(changes.id))
    .limit(1);
  const [record] = await tx.select({ stamps: records.stamps }).from(records).where(eq(records.id, c.recordId)).limit(1);
  const stamp = record?.stamps[c.field];
  const ours = stamp ? Date.parse(stamp.at) : Number.NaN;
  return { theirs: (change?.sourceTime ?? c.createdAt).getTime(), ours: Number.isNaN(ours) ? null : ours };
}

/** Rank in the entity's priority list; systems it does not name (or Concord itself) come last. */
const rank = (entity: TEntity, system: string | null) => {
  const i = system ? entity.priority.indexOf(system) : -1;
  return i === -1 ? Number.MAX_SAFE_INTEGER : i;
};

/** The side a bulk policy keeps for one conflict. Ties go to ours, as last-write-wins does. */
export async function chooseSide(tx: Db, opts: { policy: TBulkPolicy; conflict: TConflictRow; entity: TEntity }): Promise<"theirs" | "ours"> {
  const { policy, conflict: c, entity } = opts;
  if (policy === "theirs" || policy === "ours") return policy;
  if (policy === "priority") {
    const [t, o] = [rank(entity, c.theirsSystem), rank(entity, c.oursSystem)];
    if (t !== o) return t < o ? "theirs" : "ours";
  }
  const times = await sideTimes(tx, c);
  return times.ours === null || times.theirs > times.ours ? "theirs" : "ours";
}
