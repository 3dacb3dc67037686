import { z } from "zod";
import { adminProcedure, createTRPCRouter, protectedProcedure, requireEngine } from "~/server/api/trpc";
import { decidePossibleDuplicates, ZDecidePossibleDuplicatesInput, ZDecidePossibleDuplicatesResult } from "~/server/services/duplicates/decide-possible-duplicates";
import { listPossibleDuplicates, ZListPossibleDuplicatesInput, ZPossibleDuplicatePage } from "~/server/services/duplicates/list-possible-duplicates";
import { ZNearMatchSetting, ZSetNearMatchInput } from "~/server/services/duplicates/near-match-settings";
import { getNearMatchSetting, setNearMatchSetting } from "~/server/services/duplicates/set-near-match-setting";

/** Creates a full run held back because the target holds a resembling unlinked document: review and decide. */
export const duplicatesRouter = createTRPCRouter({
  list: protectedProcedure
    .input(ZListPossibleDuplicatesInput)
    .output(ZPossibleDuplicatePage)
    .query(({ ctx, input }) => listPossibleDuplicates({ engine: requireEngine(ctx), input })),
  decide: adminProcedure
    .input(ZDecidePossibleDuplicatesInput)
    .output(ZDecidePossibleDuplicatesResult)
    .mutation(({ ctx, input }) => decidePossibleDuplicates({ engine: requireEngine(ctx), actor: ctx.actor, input })),
  holdSetting: protectedProcedure
    .input(z.object({ entity: z.string(), system: z.string() }))
    .output(ZNearMatchSetting)
    .query(({ ctx, input }) => getNearMatchSetting({ engine: requireEngine(ctx), input })),
  setHold: adminProcedure
    .input(ZSetNearMatchInput)
    .output(ZNearMatchSetting)
    .mutation(({ ctx, input }) => setNearMatchSetting({ engine: requireEngine(ctx), actor: ctx.actor, input })),
});
