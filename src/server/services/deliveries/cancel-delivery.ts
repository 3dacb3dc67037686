import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import { deliveries } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { writeAudit } from "../write-audit";
import { ZDeliveryId, type TDeliveryView } from "./delivery-view";
import { getDelivery } from "./get-delivery";

export const ZCancelDeliveryInput = z.object({ id: ZDeliveryId });

const CANCELLABLE = ["pending", "retrying", "dead"];

/** A waiting or dead delivery will never be sent. One in flight cannot be cancelled (it is already sending). */
export async function cancelDelivery({ engine, actor, input }: { engine: Engine; actor: TActor; input: z.input<typeof ZCancelDeliveryInput> }): Promise<TDeliveryView> {
  const { id } = ZCancelDeliveryInput.parse(input);
  await engine.db.transaction(async (tx) => {
    const [before] = await tx.select().from(deliveries).where(eq(deliveries.id, id)).limit(1).for("update");
    if (!before) throw new SyncError("NOT_FOUND", `Delivery ${id} not found.`);
    if (!CANCELLABLE.includes(before.status)) {
      throw new SyncError("CONFLICT", `Delivery ${id} is ${before.status}: only a waiting or dead delivery can be cancelled.`);
    }
    await tx
      .update(deliveries)
      .set({ status: "cancelled", leaseUntil: null, finishedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(deliveries.id, id), inArray(deliveries.status, CANCELLABLE)));
    await writeAudit(tx, {
      actor,
      action: "deliveries.cancel",
      target: `delivery:${id}`,
      before: { status: before.status, attempts: before.attempts, system: before.system, recordId: before.recordId },
      after: { status: "cancelled" },
    });
  });
  return (await getDelivery({ db: engine.db, input: { id }, showExcerpts: false })).delivery;
}
