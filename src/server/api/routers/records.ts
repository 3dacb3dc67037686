import { adminProcedure, createTRPCRouter, protectedProcedure, requireEngine } from "~/server/api/trpc";
import { deleteRecord, ZDeleteRecordInput, ZDeleteRecordOutput } from "~/server/services/records/delete-record";
import { getRecord, ZGetRecordInput } from "~/server/services/records/get-record";
import { listRecords, ZListRecordsInput, ZRecordPage } from "~/server/services/records/list-records";
import { ZRecordView } from "~/server/services/records/record-view";
import { upsertRecord, ZUpsertRecordInput, ZUpsertRecordOutput } from "~/server/services/records/upsert-record";

/** Canonical records for internal tools (API keys: `read` for list/get, `write` for upsert/delete). */
export const recordsRouter = createTRPCRouter({
  list: protectedProcedure
    .input(ZListRecordsInput)
    .output(ZRecordPage)
    .query(({ ctx, input }) => listRecords({ db: ctx.db, config: requireEngine(ctx).config, input })),
  get: protectedProcedure
    .input(ZGetRecordInput)
    .output(ZRecordView)
    .query(({ ctx, input }) => getRecord({ db: ctx.db, config: requireEngine(ctx).config, input })),
  upsert: adminProcedure
    .input(ZUpsertRecordInput)
    .output(ZUpsertRecordOutput)
    .mutation(async ({ ctx, input }) => {
      const engine = requireEngine(ctx);
      const result = await upsertRecord({ engine, actor: ctx.actor, input });
      engine.bus.wake();
      return result;
    }),
  delete: adminProcedure
    .input(ZDeleteRecordInput)
    .output(ZDeleteRecordOutput)
    .mutation(async ({ ctx, input }) => {
      const engine = requireEngine(ctx);
      const result = await deleteRecord({ engine, actor: ctx.actor, input });
      engine.bus.wake();
      return result;
    }),
});
