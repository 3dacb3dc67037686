import { and, eq, gt, inArray, isNotNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import { wakeOnCommit } from "~/server/db/wake-on-commit";
import { webhookEvents } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { writeAudit } from "../write-audit";

export const ZSettleWebhookEventsInput = z.object({
  ids: z.array(z.number().int().positive()).min(1).max(200),
  /** replay: apply it again now, attempts from zero; dismiss: leave it unapplied for good (kept, then pruned, as processed). */
  action: z.enum(["replay", "dismiss"]),
});
export const ZSettleWebhookEventsOutput = z.object({ settled: z.array(z.number()), skipped: z.array(z.number()) });

/**
 * The events an admin may settle, and the ones the system page lists: failed, or failed at least once and waiting
 * for a retry. Not one being applied right now, nor one just replayed (attempts from zero) that has not failed again.
 */
export const openToSettle = or(
  eq(webhookEvents.status, "failed"),
  and(eq(webhookEvents.status, "pending"), gt(webhookEvents.attempts, 0), isNotNull(webhookEvents.error)),
)!;

/**
 * An admin's answer to webhook events that did not apply: replay them (they go back to the inbox with their attempts
 * reset, and the workers are woken once that commits) or dismiss them. Only failed or retrying events are touched;
 * the rest are skipped and named. Audited.
 */
export async function settleWebhookEvents({ engine, actor, input }: { engine: Engine; actor: TActor; input: z.input<typeof ZSettleWebhookEventsInput> }): Promise<z.infer<typeof ZSettleWebhookEventsOutput>> {
  const { ids, action } = ZSettleWebhookEventsInput.parse(input);
  return engine.db.transaction(async (tx) => {
    const open = and(inArray(webhookEvents.id, ids), openToSettle);
    const rows = await tx
      .update(webhookEvents)
      .set(
        action === "replay"
          ? { status: "pending", attempts: 0, leaseUntil: null }
          : { status: "processed", processedAt: sql`now()`, leaseUntil: null, summary: { outcome: "dismissed", detail: `dismissed by ${actor.label}` } },
      )
      .where(open)
      .returning({ id: webhookEvents.id, system: webhookEvents.system });
    if (rows.length === 0) throw new SyncError("CONFLICT", "None of these events is failed or waiting for a retry: nothing to do.", { field: "ids" });
    if (action === "replay") wakeOnCommit(tx, "inbox");
    const settled = rows.map((r) => r.id).sort((a, b) => a - b);
    const systems = [...new Set(rows.map((r) => r.system))].sort();
    await writeAudit(tx, { actor, action: "webhooks.settle", target: systems.map((s) => `system:${s}`).join(","), after: { action, ids: settled } });
    return { settled, skipped: ids.filter((id) => !settled.includes(id)) };
  });
}

