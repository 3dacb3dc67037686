import { adminProcedure, createTRPCRouter, protectedProcedure, requireEngine } from "~/server/api/trpc";
import { ZDriftCheckView, ZDriftReport } from "~/server/services/drift/drift-view";
import { getDriftReport, ZDriftReportInput } from "~/server/services/drift/get-drift-report";
import { listDriftChecks, ZDriftCheckPage, ZListDriftChecksInput } from "~/server/services/drift/list-drift-checks";
import { makeThemAgree, ZMakeThemAgreeInput, ZMakeThemAgreeResult } from "~/server/services/drift/make-them-agree";
import { startDriftCheck, ZStartDriftCheckInput } from "~/server/services/drift/start-drift-check";

/** Drift: linked records whose common fields differ between Concord and a system, found by a check and made to agree. */
export const driftRouter = createTRPCRouter({
  checks: protectedProcedure
    .input(ZListDriftChecksInput)
    .output(ZDriftCheckPage)
    .query(({ ctx, input }) => listDriftChecks({ db: ctx.db, input })),
  report: protectedProcedure
    .input(ZDriftReportInput)
    .output(ZDriftReport)
    .query(({ ctx, input }) => getDriftReport({ engine: requireEngine(ctx), input })),
  startCheck: adminProcedure
    .input(ZStartDriftCheckInput)
    .output(ZDriftCheckView)
    .mutation(({ ctx, input }) => startDriftCheck({ engine: requireEngine(ctx), actor: ctx.actor, input })),
  makeAgree: adminProcedure
    .input(ZMakeThemAgreeInput)
    .output(ZMakeThemAgreeResult)
    .mutation(({ ctx, input }) => makeThemAgree({ engine: requireEngine(ctx), actor: ctx.actor, input })),
});
