import { z } from "zod";
import { adminProcedure, createTRPCRouter, protectedProcedure, requireEngine } from "~/server/api/trpc";
import { applyPlan, ZApplyPlanInput } from "~/server/services/runs/apply-plan";
import { cancelRun, ZCancelRunInput } from "~/server/services/runs/cancel-run";
import { describeHeldDeletes, recreateRejectedDeletes, ZHeldDeletes } from "~/server/services/runs/held-deletes";
import { decideHeldRun, ZDecideHeldRunInput } from "~/server/services/runs/decide-held-run";
import { getRun, ZGetRunInput, ZRunDetail } from "~/server/services/runs/get-run";
import { listRunHistory, ZListRunHistoryInput, ZRunHistoryPage } from "~/server/services/runs/list-run-history";
import { listRunItems, ZListRunItemsInput, ZRunItemsPage } from "~/server/services/runs/list-run-items";
import { planApplications, ZPlanApplications, ZPlanApplicationsInput } from "~/server/services/runs/plan-applications";
import { retryFailedItems, ZRetryFailedInput, ZRetryFailedOutput } from "~/server/services/runs/retry-failed";
import { triggerRun, ZTriggerRunInput } from "~/server/services/runs/trigger-run";
import { ZRunView } from "~/server/services/runs/run-view";
import { runDeliveries, ZDeliveryProgress, ZRunDeliveriesInput } from "~/server/services/runs/delivery-progress";

/** Sync runs: history, detail with per-item outcomes, start, cancel, the mass-delete decision, retries and applying a dry run's plan. */
export const runsRouter = createTRPCRouter({
  list: protectedProcedure.input(ZListRunHistoryInput).output(ZRunHistoryPage).query(({ ctx, input }) => listRunHistory({ db: ctx.db, input })),
  get: protectedProcedure.input(ZGetRunInput).output(ZRunDetail).query(({ ctx, input }) => getRun({ db: ctx.db, input })),
  items: protectedProcedure.input(ZListRunItemsInput).output(ZRunItemsPage).query(({ ctx, input }) => listRunItems({ db: ctx.db, input })),
  deliveries: protectedProcedure.input(ZRunDeliveriesInput).output(ZDeliveryProgress).query(({ ctx, input }) => runDeliveries({ db: ctx.db, input })),
  planApplications: protectedProcedure.input(ZPlanApplicationsInput).output(ZPlanApplications).query(({ ctx, input }) => planApplications({ db: ctx.db, input })),
  trigger: adminProcedure.input(ZTriggerRunInput).output(ZRunView).mutation(({ ctx, input }) => triggerRun({ engine: requireEngine(ctx), actor: ctx.actor, input })),
  cancel: adminProcedure.input(ZCancelRunInput).output(ZRunView).mutation(({ ctx, input }) => cancelRun({ engine: requireEngine(ctx), actor: ctx.actor, input })),
  decide: adminProcedure
    .input(ZDecideHeldRunInput)
    .output(ZRunView)
    .mutation(async ({ ctx, input }) => ZRunView.parse(await decideHeldRun({ engine: requireEngine(ctx), actor: ctx.actor, input }))),
  heldDeletes: protectedProcedure
    .input(z.object({ runId: z.uuid() }))
    .output(ZHeldDeletes)
    .query(({ ctx, input }) => describeHeldDeletes({ engine: requireEngine(ctx), input })),
  recreateRejected: adminProcedure
    .input(z.object({ runId: z.uuid() }))
    .output(z.object({ recreated: z.number() }))
    .mutation(({ ctx, input }) => recreateRejectedDeletes({ engine: requireEngine(ctx), actor: ctx.actor, input })),
  retryFailed: adminProcedure.input(ZRetryFailedInput).output(ZRetryFailedOutput).mutation(({ ctx, input }) => retryFailedItems({ engine: requireEngine(ctx), actor: ctx.actor, input })),
  applyPlan: adminProcedure.input(ZApplyPlanInput).output(ZRunView).mutation(({ ctx, input }) => applyPlan({ engine: requireEngine(ctx), actor: ctx.actor, input })),
});
