import { eq } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import { deliveries } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { writeAudit } from "../write-audit";
import { ZDeliveryId } from "./delivery-view";
import { replayRows, withReplayRetry } from "./replay-rows";

export const ZReplayDeliveryInput = z.object({ id: ZDeliveryId });
export const ZReplayDeliveryOutput = z.object({
  id: z.number(),
  /** pending: it runs now; superseded: another delivery of the same (record, system) was waiting and runs now instead. */
  status: z.enum(["pending", "superseded"]),
  /** The delivery that will send the record's current state. */
  dueDeliveryId: z.number(),
});
export type TReplayDeliveryOutput = z.infer<typeof ZReplayDeliveryOutput>;

/** Sends a dead or retrying delivery again, now, with its attempts reset. It re-reads the record when it runs. */
export async function replayDelivery({ engine, actor, input }: { engine: Engine; actor: TActor; input: z.input<typeof ZReplayDeliveryInput> }): Promise<TReplayDeliveryOutput> {
  const { id } = ZReplayDeliveryInput.parse(input);
  const result = await withReplayRetry(engine.db, async (tx) => {
    const [before] = await tx.select().from(deliveries).where(eq(deliveries.id, id)).limit(1).for("update");
    if (!before) throw new SyncError("NOT_FOUND", `Delivery ${id} not found.`);
    if (before.status !== "dead" && before.status !== "retrying") {
      throw new SyncError("CONFLICT", `Delivery ${id} is ${before.status}: only a dead or retrying delivery can be replayed.`);
    }
    const outcome = await replayRows(tx, [id]);
    const superseded = outcome.superseded.find((s) => s.id === id);
    const out: TReplayDeliveryOutput = superseded ? { id, status: "superseded", dueDeliveryId: superseded.by } : { id, status: "pending", dueDeliveryId: id };
    await writeAudit(tx, {
      actor,
      action: "deliveries.replay",
      target: `delivery:${id}`,
      before: { status: before.status, attempts: before.attempts, system: before.system, recordId: before.recordId, lastError: before.lastError },
      after: { status: out.status, attempts: 0, dueDeliveryId: out.dueDeliveryId },
    });
    return out;
  });
  return result;
}
