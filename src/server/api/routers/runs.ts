import { adminProcedure, createTRPCRouter, protectedProcedure, requireEngine } from "~/server/api/trpc";
import { cancelRun, ZCancelRunInput } from "~/server/services/runs/cancel-run";
import { decideHeldRun, ZDecideHeldRunInput } from "~/server/services/runs/decide-held-run";
import { getRun, ZGetRunInput, ZRunDetail } from "~/server/services/runs/get-run";
import { listRuns, ZListRunsInput, ZRunPage } from "~/server/services/runs/list-runs";
import { triggerRun, ZTriggerRunInput } from "~/server/services/runs/trigger-run";
import { ZRunView } from "~/server/services/runs/run-view";

/** Sync runs: history, detail with per-item outcomes, start, cancel, and the mass-delete decision. */
export const runsRouter = createTRPCRouter({
  list: protectedProcedure.input(ZListRunsInput).output(ZRunPage).query(({ ctx, input }) => listRuns({ db: ctx.db, input })),
  get: protectedProcedure.input(ZGetRunInput).output(ZRunDetail).query(({ ctx, input }) => getRun({ db: ctx.db, input })),
  trigger: adminProcedure.input(ZTriggerRunInput).output(ZRunView).mutation(({ ctx, input }) => triggerRun({ engine: requireEngine(ctx), actor: ctx.actor, input })),
  cancel: adminProcedure.input(ZCancelRunInput).output(ZRunView).mutation(({ ctx, input }) => cancelRun({ engine: requireEngine(ctx), actor: ctx.actor, input })),
  decide: adminProcedure
    .input(ZDecideHeldRunInput)
    .output(ZRunView)
    .mutation(async ({ ctx, input }) => ZRunView.parse(await decideHeldRun({ engine: requireEngine(ctx), actor: ctx.actor, input }))),
});
