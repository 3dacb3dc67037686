import { and, count, desc, eq, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { TSyncConfig } from "~/sync/config";
import { sameValue } from "~/sync/mapping";
import type { Db } from "~/server/db";
import { conflicts, records } from "~/server/db/schema";

/** Which conflicts: of one entity, and/or involving one system (on either side). */
export const ZConflictFilter = z.object({
  entity: z.string().trim().min(1).max(100).optional(),
  system: z.string().trim().min(1).max(100).optional(),
});

export const ZListConflictsInput = ZConflictFilter.extend({
  status: z.enum(["open", "resolved"]).default("open"),
  recordId: z.uuid().optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});
export const ZConflictView = z.object({
  id: z.string(),
  recordId: z.string(),
  entity: z.string(),
  field: z.string(),
  base: z.unknown(),
  theirs: z.unknown(),
  theirsSystem: z.string(),
  ours: z.unknown(),
  oursSystem: z.string().nullable(),
  status: z.string(),
  resolution: z.string().nullable(),
  reason: z.string(),
  resolvedBy: z.string().nullable(),
  createdAt: z.date(),
  resolvedAt: z.date().nullable(),
  /** The record's display name (e.g. the industry's name) and natural key, when it still exists. */
  recordName: z.string().nullable(),
  naturalKey: z.string().nullable(),
  recordDeleted: z.boolean(),
  /** A policy decided it and an admin may still reverse that (checked again when they do). */
  overridable: z.boolean(),
});
export const ZConflictPage = z.object({ items: z.array(ZConflictView), total: z.number(), page: z.number(), pageSize: z.number() });
export type TConflictView = z.infer<typeof ZConflictView>;

/** The WHERE of a conflict list or a bulk resolution. */
export function conflictWhere(q: z.infer<typeof ZConflictFilter> & { status: "open" | "resolved"; recordId?: string }): SQL {
  const filters: SQL[] = [eq(conflicts.status, q.status)];
  if (q.recordId) filters.push(eq(conflicts.recordId, q.recordId));
  if (q.entity) filters.push(eq(conflicts.entity, q.entity));
  if (q.system) filters.push(or(eq(conflicts.theirsSystem, q.system), eq(conflicts.oursSystem, q.system))!);
  return and(...filters)!;
}

const text = (v: unknown) => (v === null || v === undefined || v === "" ? null : String(v));

/** Conflicts, newest first: base, theirs and ours per field, with the record they belong to. */
export async function listConflicts({ db, config, input }: { db: Db; config?: TSyncConfig | null; input: z.input<typeof ZListConflictsInput> }) {
  const q = ZListConflictsInput.parse(input);
  const where = conflictWhere(q);
  const [rows, [total]] = await Promise.all([
    db
      .select({ c: conflicts, data: records.data, held: records.held, naturalKey: records.naturalKey, deletedAt: records.deletedAt })
      .from(conflicts)
      .leftJoin(records, eq(records.id, conflicts.recordId))
      .where(where)
      .orderBy(desc(conflicts.createdAt), desc(conflicts.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(conflicts).where(where),
  ]);
  const items = rows.map(({ c, data, held, naturalKey, deletedAt }) => {
    const display = config?.entities[c.entity]?.displayField;
    const live = naturalKey !== null && deletedAt === null;
    const byPolicy = c.status === "resolved" && (c.resolvedBy ?? "").startsWith("policy:") && (c.resolution === "theirs" || c.resolution === "ours");
    // Still what the policy chose, and not held by a newer conflict: the same checks the resolution makes.
    const stands = byPolicy && !!data && !held?.[c.field] && sameValue(data[c.field] ?? null, (c.resolution === "theirs" ? c.theirs : c.ours) ?? null);
    return { ...c, recordName: data && display ? text(data[display]) : null, naturalKey, recordDeleted: !live, overridable: live && stands };
  });
  return { items, total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
}
