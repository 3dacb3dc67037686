import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import { runs } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { writeAudit } from "../write-audit";
import { forgetSeen } from "./run-deletes";
import { ZRunView } from "./run-view";

export const ZCancelRunInput = z.object({ id: z.uuid() });

/**
 * Cancels a queued or running run — working somewhere or waiting for its next tick: it stops before its
 * next page (a page in flight commits nothing, its claim being checked in the page's transaction). What it already applied stays applied
 * and its queued deliveries still go (the queue stays consistent); nothing half-written is left.
 */
export async function cancelRun({ engine, actor, input }: { engine: Engine; actor: TActor; input: z.input<typeof ZCancelRunInput> }) {
  const { id } = ZCancelRunInput.parse(input);
  const [row] = await engine.db
    .update(runs)
    .set({ status: "cancelled", finishedAt: sql`now()` })
    .where(and(eq(runs.id, id), inArray(runs.status, ["queued", "running"])))
    .returning();
  if (!row) throw new SyncError("CONFLICT", "Only a queued or running run can be cancelled.");
  // A run waiting for its next tick has no process to clear its scratch list; one still working ends at its next page.
  await forgetSeen(engine, id);
  await writeAudit(engine.db, { actor, action: "runs.cancel", target: `run:${id}`, after: { status: "cancelled" } });
  engine.bus.emit({ type: "run", id, status: "cancelled", phase: null, counts: row.counts, percent: null });
  return ZRunView.parse(row);
}
