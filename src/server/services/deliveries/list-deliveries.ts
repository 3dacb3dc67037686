import { and, count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~/server/db";
import { deliveries } from "~/server/db/schema";
import { toDeliveryView, ZDeliveryStatus, ZDeliveryView } from "./delivery-view";

export const ZDeliveryFilter = z.object({
  status: z.array(ZDeliveryStatus).max(10).optional(),
  system: z.string().trim().min(1).max(100).optional(),
  entity: z.string().trim().min(1).max(100).optional(),
  recordId: z.uuid().optional(),
});
export type TDeliveryFilter = z.infer<typeof ZDeliveryFilter>;

export const ZListDeliveriesInput = ZDeliveryFilter.extend({
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});

export const ZDeliveryPage = z.object({ items: z.array(ZDeliveryView), total: z.number(), page: z.number(), pageSize: z.number() });
export type TDeliveryPage = z.infer<typeof ZDeliveryPage>;

export function deliveryWhere(f: TDeliveryFilter): SQL | undefined {
  const filters: SQL[] = [];
  if (f.status?.length) filters.push(inArray(deliveries.status, f.status));
  if (f.system) filters.push(eq(deliveries.system, f.system));
  if (f.entity) filters.push(eq(deliveries.entity, f.entity));
  if (f.recordId) filters.push(eq(deliveries.recordId, f.recordId));
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
      .select({ row: deliveries, attemptCount })
      .from(deliveries)
      .where(where)
      // Newest first by id: insertion order (created_at is a transaction's start time, so it can tie or
      // invert between concurrent transactions), and the primary key index serves it.
      .orderBy(desc(deliveries.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: count() }).from(deliveries).where(where),
  ]);
  return { items: rows.map((r) => toDeliveryView(r.row, Number(r.attemptCount))), total: Number(total?.n ?? 0), page, pageSize };
}
