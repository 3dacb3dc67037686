import { and, asc, count, eq, ilike, or, sql } from "drizzle-orm";
import { z } from "zod";
import { links, records } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { ZEntityKey, ZSystemKey } from "./link-view";
import { resolveScope, textOf } from "./resolve-scope";

export const ZListLinksInput = z.object({
  entity: ZEntityKey,
  system: ZSystemKey,
  /** Part of the record's name, its natural key or the system's id. */
  search: z.string().trim().max(200).optional(),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});

export const ZLinkedRow = z.object({
  recordId: z.string(),
  name: z.string().nullable(),
  naturalKey: z.string(),
  externalId: z.string(),
  /** "sync", "natural-key", "manual", "id-field". */
  origin: z.string(),
  lastSyncedAt: z.date().nullable(),
  createdAt: z.date(),
});
export const ZLinkedPage = z.object({ total: z.number(), page: z.number(), pageSize: z.number(), items: z.array(ZLinkedRow) });
export type TLinkedPage = z.infer<typeof ZLinkedPage>;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The live records linked in one system, by name, one page at a time (to unlink or move a link). */
export async function listLinks({ engine, input }: { engine: Engine; input: z.input<typeof ZListLinksInput> }): Promise<TLinkedPage> {
  const q = ZListLinksInput.parse(input);
  const { entity, binding } = resolveScope(engine, q.entity, q.system);
  const name = sql<string | null>`${records.data} ->> ${entity.displayField}`;
  const filters = [eq(links.system, binding.system), eq(links.entity, entity.key), sql`${records.deletedAt} is null`];
  if (q.search) {
    const like = `%${escapeLike(q.search)}%`;
    filters.push(or(ilike(sql`coalesce(${name}, '')`, like), ilike(records.naturalKey, like), ilike(links.externalId, like))!);
  }
  const where = and(...filters);
  const [rows, [total]] = await Promise.all([
    engine.db
      .select({ recordId: links.recordId, name, naturalKey: records.naturalKey, externalId: links.externalId, origin: links.origin, lastSyncedAt: links.lastSyncedAt, createdAt: links.createdAt })
      .from(links)
      .innerJoin(records, eq(records.id, links.recordId))
      .where(where)
      .orderBy(asc(name), asc(records.naturalKey), asc(links.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    engine.db.select({ n: count() }).from(links).innerJoin(records, eq(records.id, links.recordId)).where(where),
  ]);
  return { total: total?.n ?? 0, page: q.page, pageSize: q.pageSize, items: rows.map((r) => ({ ...r, name: textOf(r.name) })) };
}
