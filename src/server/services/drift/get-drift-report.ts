import { and, asc, countDistinct, count, eq, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import { deliveries, driftChecks, driftItems, records } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { toDriftCheckView, ZDriftCheckId, type TDriftRecordView, type TDriftReport } from "./drift-view";

export const ZDriftReportInput = z.object({
  checkId: ZDriftCheckId,
  /** open (still differing), fixed (made to agree) or all. */
  status: z.enum(["open", "fixed", "all"]).default("open"),
  system: z.string().trim().min(1).max(100).optional(),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(25),
});

const text = (v: unknown) => (v === null || v === undefined || v === "" ? null : String(v));

/** A check with its drifted records, one page at a time (by record name), each with its differing fields per system. */
export async function getDriftReport({ engine, input }: { engine: Engine; input: z.input<typeof ZDriftReportInput> }): Promise<TDriftReport> {
  const q = ZDriftReportInput.parse(input);
  const db = engine.db;
  const [check] = await db.select().from(driftChecks).where(eq(driftChecks.id, q.checkId)).limit(1);
  if (!check) throw new SyncError("NOT_FOUND", `There is no drift check ${q.checkId}.`, { field: "checkId" });
  const display = engine.config.entities[check.entity]?.displayField ?? "name";

  const filters: SQL[] = [eq(driftItems.checkId, check.id)];
  if (q.status !== "all") filters.push(eq(driftItems.status, q.status));
  if (q.system) filters.push(eq(driftItems.system, q.system));
  const where = and(...filters)!;
  const open = and(eq(driftItems.checkId, check.id), eq(driftItems.status, "open"));
  const name = sql<string | null>`min(${records.data} ->> ${display})`;

  const [[total], [openCounts], page] = await Promise.all([
    db.select({ n: countDistinct(driftItems.recordId) }).from(driftItems).where(where),
    db.select({ items: count(), records: countDistinct(driftItems.recordId) }).from(driftItems).where(open),
    db
      .select({ recordId: driftItems.recordId, name, naturalKey: sql<string | null>`min(${records.naturalKey})`, deletedAt: sql<string | null>`min(${records.deletedAt})` })
      .from(driftItems)
      .leftJoin(records, eq(records.id, driftItems.recordId))
      .where(where)
      .groupBy(driftItems.recordId)
      .orderBy(asc(name), asc(driftItems.recordId))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
  ]);
  const ids = page.map((p) => p.recordId);
  const [items, waiting] = ids.length
    ? await Promise.all([
        db.select().from(driftItems).where(and(where, inArray(driftItems.recordId, ids))).orderBy(asc(driftItems.system), asc(driftItems.field), asc(driftItems.id)),
        db
          .selectDistinct({ recordId: deliveries.recordId, system: deliveries.system })
          .from(deliveries)
          .where(and(inArray(deliveries.recordId, ids), inArray(deliveries.status, ["pending", "retrying", "in_flight"]))),
      ])
    : [[], []];
  const inTransit = new Set(waiting.map((w) => `${w.recordId}|${w.system}`));
  const out: TDriftRecordView[] = page.map((p) => ({
    recordId: p.recordId,
    name: text(p.name),
    naturalKey: p.naturalKey,
    deleted: p.naturalKey === null || p.deletedAt !== null,
    items: items
      .filter((i) => i.recordId === p.recordId)
      .map((i) => ({
        id: i.id,
        system: i.system,
        externalId: i.externalId,
        field: i.field,
        concordValue: i.concordValue,
        systemValue: i.systemValue,
        status: i.status,
        fixedAt: i.fixedAt,
        deliveryWaiting: inTransit.has(`${i.recordId}|${i.system}`),
      })),
  }));
  return {
    check: toDriftCheckView(check),
    total: total?.n ?? 0,
    openItems: openCounts?.items ?? 0,
    openRecords: openCounts?.records ?? 0,
    page: q.page,
    pageSize: q.pageSize,
    records: out,
  };
}
