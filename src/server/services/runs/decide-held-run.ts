import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import { runs } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { writeAudit } from "../write-audit";
import { applyDeletes } from "./run-deletes";

export const ZDecideHeldRunInput = z.object({ runId: z.uuid(), approve: z.boolean() });

/** A run held by the mass-delete guard: approve applies its deletes, reject finishes it without them (kept on its plan, with who rejected them). */
export async function decideHeldRun({ engine, actor, input }: { engine: Engine; actor: TActor; input: z.input<typeof ZDecideHeldRunInput> }) {
  const { runId, approve } = ZDecideHeldRunInput.parse(input);
  const [run] = await engine.db.select().from(runs).where(eq(runs.id, runId));
  if (!run) throw new SyncError("NOT_FOUND", "No such run.");
  if (run.status !== "awaiting-approval") throw new SyncError("CONFLICT", `This run is ${run.status}, not waiting for approval.`);
  const held = (run.plan ?? {}) as { deletes?: string[]; deleteCount?: number };
  await writeAudit(engine.db, { actor, action: "runs.decide", target: `run:${run.id}`, before: { status: run.status, deleteCount: held.deleteCount ?? 0 }, after: { approve } });
  const counts = { ...run.counts };
  if (approve) {
    // Held by this request while it deletes, so no tick or worker takes the run up meanwhile; should this
    // process die, the run is continued after the lease from its complete listing (and asks again).
    await engine.db
      .update(runs)
      .set({ status: "running", phase: "deleting", leaseOwner: `${engine.workerId}:decide`, leaseUntil: sql`now() + interval '10 minutes'` })
      .where(eq(runs.id, runId));
    await applyDeletes(engine, run, held.deletes ?? [], counts);
  }
  const [done] = await engine.db
    .update(runs)
    // Rejecting is a normal outcome, not an error: the run read and applied everything else.
    .set({ status: "succeeded", phase: null, leaseOwner: null, leaseUntil: null, counts, finishedAt: sql`now()`, error: null, ...(approve ? {} : { plan: { ...held, rejectedBy: actor.label } }) })
    .where(eq(runs.id, runId))
    .returning();
  engine.bus.emit({ type: "run", id: runId, status: done!.status, phase: null, counts: { ...counts }, percent: 100 });
  return done!;
}
