import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import { runItems, runs } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { writeAudit } from "../write-audit";
import { ACTIVE_RUN_STATUSES } from "./create-run";
import { triggerRun } from "./trigger-run";
import { ZRunView } from "./run-view";

/** A selective run reads at most this many documents and this many records (see selection.ts). */
export const MAX_RETRY_ITEMS = 1000;

export const ZRetryFailedInput = z.object({ runId: z.uuid() });
export const ZRetryFailedOutput = z.object({
  /** The new selective run. */
  run: ZRunView,
  /** Failed items retried by the system's id, and by Concord record (items that named no document). */
  externalIds: z.number(),
  recordIds: z.number(),
  /** Failed items beyond the limit of one selective run: not in this retry. */
  leftOut: z.number(),
});
export type TRetryFailedOutput = z.infer<typeof ZRetryFailedOutput>;

/**
 * "Retry failed items": a new selective run of the same entity and system over the documents (external ids)
 * of a run's failed items, and over the records of failed items that named no document. It reads them
 * again now and applies what it finds, like any selective run. Audited with the run it retries.
 */
export async function retryFailedItems({ engine, actor, input }: { engine: Engine; actor: TActor; input: z.input<typeof ZRetryFailedInput> }): Promise<TRetryFailedOutput> {
  const { runId } = ZRetryFailedInput.parse(input);
  const [run] = await engine.db.select().from(runs).where(eq(runs.id, runId));
  if (!run) throw new SyncError("NOT_FOUND", "No such run.");
  if (run.kind === "dry-run") throw new SyncError("BAD_REQUEST", "A dry run applies nothing, so it has no failed items to retry.", { field: "runId" });
  if (ACTIVE_RUN_STATUSES.includes(run.status)) throw new SyncError("CONFLICT", `This run is ${run.status.replace("-", " ")}: retry its failed items once it has ended.`);

  const failed = await engine.db
    .select({ externalId: runItems.externalId, recordId: runItems.recordId })
    .from(runItems)
    .where(and(eq(runItems.runId, runId), eq(runItems.outcome, "failed")))
    .orderBy(asc(runItems.id));
  const externalIds = [...new Set(failed.flatMap((i) => (i.externalId ? [i.externalId] : [])))];
  const recordIds = [...new Set(failed.flatMap((i) => (!i.externalId && i.recordId ? [i.recordId] : [])))];
  if (externalIds.length + recordIds.length === 0) throw new SyncError("CONFLICT", "This run has no failed items to retry.");

  const ext = externalIds.slice(0, MAX_RETRY_ITEMS);
  const rec = recordIds.slice(0, MAX_RETRY_ITEMS);
  const leftOut = externalIds.length - ext.length + (recordIds.length - rec.length);
  const next = await triggerRun({
    engine,
    actor,
    input: { entity: run.entity, system: run.system, kind: "selective", ...(ext.length ? { externalIds: ext } : {}), ...(rec.length ? { recordIds: rec } : {}) },
  });
  await writeAudit(engine.db, {
    actor,
    action: "runs.retryFailed",
    target: `run:${run.id}`,
    before: { status: run.status, failed: run.counts.failed },
    after: { retryRunId: next.id, externalIds: ext.length, recordIds: rec.length, leftOut },
  });
  return { run: next, externalIds: ext.length, recordIds: rec.length, leftOut };
}
