import { adminProcedure, createTRPCRouter, protectedProcedure, requireEngine } from "~/server/api/trpc";
import { listConflicts, ZConflictPage, ZListConflictsInput } from "~/server/services/conflicts/list-conflicts";
import { resolveConflict, ZResolveConflictInput, ZResolveConflictResult } from "~/server/services/conflicts/resolve-conflict";
import { resolveConflicts, ZResolveConflictsInput, ZResolveConflictsResult } from "~/server/services/conflicts/resolve-conflicts";

/** The conflicts inbox: base / theirs / ours per field, resolved by an admin one by one or many by a policy. */
export const conflictsRouter = createTRPCRouter({
  list: protectedProcedure
    .input(ZListConflictsInput)
    .output(ZConflictPage)
    .query(({ ctx, input }) => listConflicts({ db: ctx.db, config: ctx.engine?.config, input })),
  resolve: adminProcedure
    .input(ZResolveConflictInput)
    .output(ZResolveConflictResult)
    .mutation(({ ctx, input }) => resolveConflict({ engine: requireEngine(ctx), actor: ctx.actor, input })),
  resolveMany: adminProcedure
    .input(ZResolveConflictsInput)
    .output(ZResolveConflictsResult)
    .mutation(({ ctx, input }) => resolveConflicts({ engine: requireEngine(ctx), actor: ctx.actor, input })),
});
