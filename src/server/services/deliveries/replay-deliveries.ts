import { asc } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import { deliveries } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { writeAudit } from "../write-audit";
import { ZDeliveryId } from "./delivery-view";
import { checkDateRange, deliveryWhere, ZDeliveryFilter } from "./list-deliveries";
import { replayRows, withReplayRetry } from "./replay-rows";

export const MAX_BULK_REPLAY = 10_000;

/** The Deliveries page's filter: dead (or retrying) deliveries, narrowed by system, entity, record and date queued. */
export const ZReplayFilter = ZDeliveryFilter.omit({ status: true })
  .extend({ status: z.enum(["dead", "retrying"]) })
  .superRefine(checkDateRange);
export type TReplayFilter = z.infer<typeof ZReplayFilter>;

/** By ids, or every dead (or retrying) delivery matching a filter, confirmed by the count the admin was shown. */
export const ZReplayDeliveriesInput = z.union([
  z.object({ ids: z.array(ZDeliveryId).min(1).max(1000) }),
  z.object({ filter: ZReplayFilter, expectedCount: z.number().int().min(0).max(MAX_BULK_REPLAY) }),
]);

/** "deliveries:dead system=cms entity=industry …", for the audit row. */
function filterTarget(f: TReplayFilter): string {
  const parts = [`deliveries:${f.status}`];
  if (f.system) parts.push(`system=${f.system}`);
  if (f.entity) parts.push(`entity=${f.entity}`);
  if (f.recordId) parts.push(`record=${f.recordId}`);
  if (f.from) parts.push(`from=${f.from.toISOString()}`);
  if (f.to) parts.push(`to=${f.to.toISOString()}`);
  return parts.join(" ");
}

export const ZReplayDeliveriesOutput = z.object({
  /** Deliveries replayed: now pending, or handed over to a waiting delivery of the same pair that runs now. */
  replayed: z.number(),
  /** Of those, how many were handed over (superseded). */
  superseded: z.number(),
  /** Ids asked for that were not found or not dead or retrying. */
  skipped: z.number(),
});
export type TReplayDeliveriesOutput = z.infer<typeof ZReplayDeliveriesOutput>;

/**
 * Bulk replay. With a filter, the number of dead deliveries that match now must equal `expectedCount`
 * (what the admin confirmed); otherwise nothing changes and the answer is CONFLICT.
 */
export async function replayDeliveries({ engine, actor, input }: { engine: Engine; actor: TActor; input: z.input<typeof ZReplayDeliveriesInput> }): Promise<TReplayDeliveriesOutput> {
  const parsed = ZReplayDeliveriesInput.parse(input);
  const result = await withReplayRetry(engine.db, async (tx) => {
    let ids: number[];
    let target: string;
    if ("ids" in parsed) {
      ids = parsed.ids;
      target = `deliveries:${ids.length} by id`;
    } else {
      const { filter, expectedCount } = parsed;
      const rows = await tx
        .select({ id: deliveries.id })
        .from(deliveries)
        .where(deliveryWhere({ ...filter, status: [filter.status] }))
        .orderBy(asc(deliveries.id))
        .limit(MAX_BULK_REPLAY + 1)
        .for("update");
      if (rows.length !== expectedCount) {
        const now = rows.length > MAX_BULK_REPLAY ? `More than ${MAX_BULK_REPLAY}` : rows.length;
        throw new SyncError("CONFLICT", `${now} ${filter.status} deliveries match now, not ${expectedCount}: reload and confirm again.`, { field: "expectedCount" });
      }
      ids = rows.map((r) => Number(r.id));
      target = filterTarget(filter);
    }
    const outcome = await replayRows(tx, ids);
    const out: TReplayDeliveriesOutput = {
      replayed: outcome.pending.length + outcome.superseded.length,
      superseded: outcome.superseded.length,
      skipped: outcome.skipped.length,
    };
    await writeAudit(tx, {
      actor,
      action: "deliveries.replayMany",
      target,
      before: "filter" in parsed ? { filter: parsed.filter, expectedCount: parsed.expectedCount } : { ids: parsed.ids },
      after: { ...out, madeDue: outcome.madeDue.length, ids: [...outcome.pending, ...outcome.superseded.map((s) => s.id)].slice(0, 100) },
    });
    return out;
  });
  return result;
}
