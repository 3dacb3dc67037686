import { z } from "zod";
import { adminProcedure, createTRPCRouter, protectedProcedure, requireEngine } from "~/server/api/trpc";
import { listConflicts, ZConflictPage, ZListConflictsInput } from "~/server/services/conflicts/list-conflicts";
import { resolveConflict, ZResolveConflictInput } from "~/server/services/conflicts/resolve-conflict";

/** The conflicts inbox: base / theirs / ours per field, resolved by an admin. */
export const conflictsRouter = createTRPCRouter({
  list: protectedProcedure.input(ZListConflictsInput).output(ZConflictPage).query(({ ctx, input }) => listConflicts({ db: ctx.db, input })),
  resolve: adminProcedure
    .input(ZResolveConflictInput)
    .output(z.object({ field: z.string(), value: z.unknown(), pick: z.string() }))
    .mutation(({ ctx, input }) => resolveConflict({ engine: requireEngine(ctx), actor: ctx.actor, input })),
});
