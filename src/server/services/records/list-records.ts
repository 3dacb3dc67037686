import { and, asc, count, eq, ilike, inArray, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { TSyncConfig } from "~/sync/config";
import type { Db } from "~/server/db";
import { links, records } from "~/server/db/schema";
import { entityOrThrow } from "./find-record";
import { toRecordSummary, ZEntityKey, ZRecordSummary } from "./record-view";

export const ZListRecordsInput = z.object({
  entity: ZEntityKey,
  /** Records whose natural key or display field starts with this (case-insensitive). */
  search: z.string().trim().max(200).optional(),
  includeDeleted: z.boolean().default(false),
  /** Only tombstoned records (deleted, kept for a while so they can be restored). */
  onlyDeleted: z.boolean().default(false),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});
export const ZRecordListItem = ZRecordSummary.extend({
  /** Systems that hold the record now (links whose document was not deleted there), by key. */
  systems: z.array(z.string()),
});
export const ZRecordPage = z.object({ items: z.array(ZRecordListItem), total: z.number(), page: z.number(), pageSize: z.number() });

const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Canonical records of one entity, by natural key, filtered and paginated on the server. */
export async function listRecords({ db, config, input }: { db: Db; config: TSyncConfig; input: z.input<typeof ZListRecordsInput> }) {
  const q = ZListRecordsInput.parse(input);
  const entity = entityOrThrow(config, q.entity);
  const filters: (SQL | undefined)[] = [eq(records.entity, entity.key)];
  if (q.onlyDeleted) filters.push(isNotNull(records.deletedAt));
  else if (!q.includeDeleted) filters.push(isNull(records.deletedAt));
  if (q.search) {
    const pattern = likePrefix(q.search);
    filters.push(or(ilike(records.naturalKey, pattern), sql`${records.data}->>${entity.displayField} ilike ${pattern}`));
  }
  const where = and(...filters);
  const [rows, [total]] = await Promise.all([
    db.select().from(records).where(where).orderBy(asc(records.naturalKey), asc(records.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(records).where(where),
  ]);
  const held = rows.length
    ? await db
        .select({ recordId: links.recordId, system: links.system })
        .from(links)
        .where(and(inArray(links.recordId, rows.map((r) => r.id)), sql`not coalesce(${links.lastValues} ? '$deleted', false)`))
        .orderBy(asc(links.system))
    : [];
  const systemsOf = (id: string) => held.filter((l) => l.recordId === id).map((l) => l.system);
  return { items: rows.map((r) => ({ ...toRecordSummary(entity, r), systems: systemsOf(r.id) })), total: Number(total?.n ?? 0), page: q.page, pageSize: q.pageSize };
}
