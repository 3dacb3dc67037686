import { and, asc, count, eq, inArray, isNull, notExists, sql } from "drizzle-orm";
import type { Db } from "~/server/db";
import { links, records } from "~/server/db/schema";
import { textOf, type TLinkScope } from "./resolve-scope";

export interface TUnlinkedRecord {
  recordId: string;
  name: string | null;
  naturalKey: string;
  /** The systems the record is linked in (where it came from). */
  linkedIn: string[];
}

/**
 * Live (not tombstoned) records of the scope's entity with no link in its system, by name.
 * Without `page` every one is returned.
 */
export async function findUnlinkedRecords(
  db: Db,
  scope: TLinkScope,
  paging?: { page: number; pageSize: number },
): Promise<{ total: number; items: TUnlinkedRecord[] }> {
  const { entity, binding } = scope;
  const where = and(
    eq(records.entity, entity.key),
    isNull(records.deletedAt),
    notExists(
      db
        .select({ one: sql`1` })
        .from(links)
        .where(and(eq(links.recordId, records.id), eq(links.system, binding.system))),
    ),
  );
  const name = sql<string | null>`${records.data} ->> ${entity.displayField}`;
  const query = db
    .select({ id: records.id, naturalKey: records.naturalKey, name })
    .from(records)
    .where(where)
    .orderBy(asc(name), asc(records.naturalKey), asc(records.id));
  const rows = paging ? await query.limit(paging.pageSize).offset((paging.page - 1) * paging.pageSize) : await query;
  const total = paging ? ((await db.select({ n: count() }).from(records).where(where))[0]?.n ?? 0) : rows.length;

  const ids = rows.map((r) => r.id);
  const own = ids.length ? await db.select({ recordId: links.recordId, system: links.system }).from(links).where(inArray(links.recordId, ids)) : [];
  const linkedIn = new Map<string, string[]>();
  for (const l of own) linkedIn.set(l.recordId, [...(linkedIn.get(l.recordId) ?? []), l.system].sort());
  return {
    total,
    items: rows.map((r) => ({ recordId: r.id, name: textOf(r.name), naturalKey: r.naturalKey, linkedIn: linkedIn.get(r.id) ?? [] })),
  };
}
