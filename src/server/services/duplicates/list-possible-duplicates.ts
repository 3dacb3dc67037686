import { and, asc, count, desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { possibleDuplicates, records } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";

export const ZListPossibleDuplicatesInput = z.object({
  status: z.enum(["open", "linked", "created", "skipped", "all"]).default("open"),
  runId: z.uuid().optional(),
  system: z.string().optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});

export const ZPossibleDuplicate = z.object({
  id: z.string(),
  recordId: z.string(),
  recordName: z.string().nullable(),
  recordKey: z.string(),
  entity: z.string(),
  system: z.string(),
  externalId: z.string(),
  externalName: z.string().nullable(),
  externalKey: z.string().nullable(),
  score: z.number(),
  reason: z.string(),
  runId: z.string().nullable(),
  status: z.string(),
  decidedBy: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.date(),
});
export type TPossibleDuplicate = z.infer<typeof ZPossibleDuplicate>;
export const ZPossibleDuplicatePage = z.object({ total: z.number(), items: z.array(ZPossibleDuplicate) });

/** The creates held back as possible duplicates, the surest first (open ones by default). */
export async function listPossibleDuplicates({ engine, input }: { engine: Engine; input: z.input<typeof ZListPossibleDuplicatesInput> }) {
  const { status, runId, system, page, pageSize } = ZListPossibleDuplicatesInput.parse(input);
  const where: SQL[] = [];
  if (status !== "all") where.push(eq(possibleDuplicates.status, status));
  if (runId) where.push(eq(possibleDuplicates.runId, runId));
  if (system) where.push(eq(possibleDuplicates.system, system));
  const cond = where.length ? and(...where) : undefined;
  const rows = await engine.db
    .select({ d: possibleDuplicates, recordKey: records.naturalKey, data: records.data })
    .from(possibleDuplicates)
    .innerJoin(records, eq(records.id, possibleDuplicates.recordId))
    .where(cond)
    .orderBy(desc(possibleDuplicates.score), asc(sql`${records.data} ->> 'name'`), asc(possibleDuplicates.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const [{ n } = { n: 0 }] = await engine.db.select({ n: count() }).from(possibleDuplicates).where(cond);
  return {
    total: n,
    items: rows.map(({ d, recordKey, data }) => {
      const displayField = engine.config.entities[d.entity]?.displayField ?? "name";
      const name = data[displayField];
      return { ...d, recordKey, recordName: name === undefined || name === null ? null : String(name) };
    }),
  };
}
