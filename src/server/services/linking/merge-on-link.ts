import { and, eq, sql } from "drizzle-orm";
import { mayWrite } from "~/sync/config";
import { sameValue, type TValues } from "~/sync/mapping";
import type { Db } from "~/server/db";
import { conflicts, records, type TRecordRow } from "~/server/db/schema";
import type { TLinkScope } from "./resolve-scope";

export interface TLinkConflict {
  conflictId: string;
  field: string;
  theirs: unknown;
  ours: unknown;
}

/** The reason of a conflict a link opened (two documents linked by hand whose natural keys differ). */
export const LINK_REASON = "link";

/**
 * Two documents linked by hand whose natural keys differ (slug "kitchen-fitting" in Concord, "kitchen-fitters"
 * in the CMS): which one wins is an admin's choice, not a write that a unique key there may refuse. The key is
 * held as an open conflict naming both systems (the delivery leaves it out until it is resolved, then the
 * chosen value goes everywhere); every other field is Concord's, as for any link. A system that may not write
 * the key simply receives Concord's.
 */
export async function holdKeyOnLink(tx: Db, opts: { scope: TLinkScope; record: TRecordRow; external: TValues }): Promise<TLinkConflict[]> {
  const { entity, binding } = opts.scope;
  const field = entity.naturalKey;
  const theirs = opts.external[field] ?? null;
  const ours = opts.record.data[field] ?? null;
  if (!mayWrite(binding, field) || theirs === null || sameValue(theirs, ours)) return [];
  const [row] = await tx
    .insert(conflicts)
    .values({ recordId: opts.record.id, entity: entity.key, field, base: null, theirs, theirsSystem: binding.system, ours, oursSystem: opts.record.stamps[field]?.by ?? null, reason: LINK_REASON })
    .returning({ id: conflicts.id });
  await tx
    .update(records)
    .set({ held: sql`${records.held} || ${JSON.stringify({ [field]: row!.id })}::jsonb`, updatedAt: sql`now()` })
    .where(eq(records.id, opts.record.id));
  return [{ conflictId: row!.id, field, theirs, ours }];
}

/** When that link goes (unlink, relink), the question it raised goes with it: its open conflicts close and their fields are released. */
export async function releaseLinkConflicts(tx: Db, opts: { recordId: string; system: string; detail: string }): Promise<void> {
  const open = await tx
    .update(conflicts)
    .set({ status: "resolved", resolution: "superseded", resolvedBy: opts.detail, resolvedAt: sql`now()` })
    .where(and(eq(conflicts.recordId, opts.recordId), eq(conflicts.theirsSystem, opts.system), eq(conflicts.reason, LINK_REASON), eq(conflicts.status, "open")))
    .returning({ id: conflicts.id, field: conflicts.field });
  for (const c of open) {
    await tx
      .update(records)
      .set({ held: sql`${records.held} - ${c.field}::text` })
      .where(and(eq(records.id, opts.recordId), sql`${records.held} ->> ${c.field}::text = ${c.id}::text`));
  }
}
