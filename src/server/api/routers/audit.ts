import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { listAudit, ZAuditPage, ZListAuditInput } from "~/server/services/list-audit";

export const auditRouter = createTRPCRouter({
  list: protectedProcedure
    .input(ZListAuditInput)
    .output(ZAuditPage)
    .query(({ ctx, input }) => listAudit({ db: ctx.db, input })),
});
