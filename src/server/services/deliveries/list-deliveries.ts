import { and, count, desc, eq, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~/server/db";
import { deliveries, records } from "~/server/db/schema";
import { toDeliveryView, ZDeliveryStatus, ZDeliveryView } from "./delivery-view";

export const ZDeliveryFilter = z.object({
  status: z.array(ZDeliveryStatus).max(10).optional(),
  system: z.string().trim().min(1).max(100).optional(),
  entity: z.string().trim().min(1).max(100).optional(),
  recordId: z.uuid().optional(),
  /** When the delivery was queued: inclusive bounds. */
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});
export type TDeliveryFilter = z.infer<typeof ZDeliveryFilter>;

/** `to` before `from` is refused, naming `to`. */
export const checkDateRange = (v: { from?: Date; to?: Date }, ctx: z.RefinementCtx) => {
  if (v.from && v.to && v.from > v.to) ctx.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
};

export const ZListDeliveriesInput = ZDeliveryFilter.extend({
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
}).superRefine(checkDateRange);

export const ZDeliveryPage = z.object({ items: z.array(ZDeliveryView), total: z.number(), page: z.number(), pageSize: z.number() });
export type TDeliveryPage = z.infer<typeof ZDeliveryPage>;

export function deliveryWhere(f: TDeliveryFilter): SQL | undefined {
  const filters: SQL[] = [];
  if (f.status?.length) filters.push(inArray(deliveries.status, f.status));
  if (f.system) filters.push(eq(deliveries.system, f.system));
  if (f.entity) filters.push(eq(deliveries.entity, f.entity));
  if (f.recordId) filters.push(eq(deliveries.recordId, f.recordId));
  if (f.from) filters.push(gte(deliveries.createdAt, f.from));
  if (f.to) filters.push(lte(deliveries.createdAt, f.to));
  return filters.length ? and(...filters) : undefined;
}

/** Newest first, filtered and paginated on the server, each with its last error and attempt count. */
export async function listDeliveries({ db, input }: { db: Db; input: z.input<typeof ZListDeliveriesInput> }): Promise<TDeliveryPage> {
  const { page, pageSize, ...filter } = ZListDeliveriesInput.parse(input);
  const where = deliveryWhere(filter);
  // Spelled out: Drizzle leaves columns unqualified in a single-table select, and a bare "id" would bind to the inner table.
  const attemptCount = sql<number>`(select count(*)::int from delivery_attempts a where a.delivery_id = "deliveries"."id")`;
  const [rows, [total]] = await Promise.all([
    db
      .select({ row: deliveries, attemptCount, recordKey: records.naturalKey })
      .from(deliveries)
      .leftJoin(records, eq(records.id, deliveries.recordId))
      .where(where)
      // Newest first by id: insertion order (created_at is a transaction's start time, so it can tie or
      // invert between concurrent transactions), and the primary key index serves it.
      .orderBy(desc(deliveries.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: count() }).from(deliveries).where(where),
  ]);
  return { items: rows.map((r) => toDeliveryView(r.row, Number(r.attemptCount), r.recordKey)), total: Number(total?.n ?? 0), page, pageSize };
}
