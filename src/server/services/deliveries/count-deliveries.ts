import { count } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~/server/db";
import { deliveries } from "~/server/db/schema";
import { emptyCounts, ZDeliveryStatus, type TDeliveryCounts } from "../systems/system-view";
import { checkDateRange, deliveryWhere, ZDeliveryFilter } from "./list-deliveries";

/** The filter without its statuses: the counts are per status. */
export const ZCountDeliveriesInput = ZDeliveryFilter.omit({ status: true }).superRefine(checkDateRange);
export const ZDeliveryStatusCounts = z.record(ZDeliveryStatus, z.number());

/** How many deliveries match the filter, per status (every status present, 0 when none). */
export async function countDeliveries({ db, input }: { db: Db; input: z.input<typeof ZCountDeliveriesInput> }): Promise<TDeliveryCounts> {
  const filter = ZCountDeliveriesInput.parse(input);
  const rows = await db.select({ status: deliveries.status, n: count() }).from(deliveries).where(deliveryWhere(filter)).groupBy(deliveries.status);
  const out = emptyCounts();
  for (const r of rows) {
    const status = ZDeliveryStatus.safeParse(r.status);
    if (status.success) out[status.data] = Number(r.n);
  }
  return out;
}
