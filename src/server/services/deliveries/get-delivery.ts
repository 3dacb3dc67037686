import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import type { Db } from "~/server/db";
import { deliveries, deliveryAttempts } from "~/server/db/schema";
import { toDeliveryView, ZDeliveryAttemptView, ZDeliveryId, ZDeliveryView } from "./delivery-view";

export const ZGetDeliveryInput = z.object({ id: ZDeliveryId });
export const ZDeliveryDetail = z.object({ delivery: ZDeliveryView, attempts: z.array(ZDeliveryAttemptView) });
export type TDeliveryDetail = z.infer<typeof ZDeliveryDetail>;

/**
 * One delivery with every attempt, oldest first: time, method, URL, status code, outcome, excerpt, duration.
 * The target's response excerpts (whatever a system answered, maybe data of its own) are for admins only:
 * `showExcerpts` false gives null for each.
 */
export async function getDelivery({ db, input, showExcerpts }: { db: Db; input: z.input<typeof ZGetDeliveryInput>; showExcerpts: boolean }): Promise<TDeliveryDetail> {
  const { id } = ZGetDeliveryInput.parse(input);
  const [row] = await db.select().from(deliveries).where(eq(deliveries.id, id)).limit(1);
  if (!row) throw new SyncError("NOT_FOUND", `Delivery ${id} not found.`);
  const attempts = await db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, id)).orderBy(asc(deliveryAttempts.at), asc(deliveryAttempts.id));
  return {
    delivery: toDeliveryView(row, attempts.length),
    attempts: attempts.map((a) => ({
      id: Number(a.id),
      at: a.at,
      method: a.method,
      url: a.url,
      statusCode: a.statusCode,
      outcome: a.outcome,
      excerpt: showExcerpts ? a.excerpt : null,
      error: a.error,
      durationMs: a.durationMs,
    })),
  };
}
