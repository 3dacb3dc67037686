import { z } from "zod";
import { env } from "~/env";
import { adminProcedure, createTRPCRouter, protectedProcedure, requireEngine } from "~/server/api/trpc";
import { deleteRecord, ZDeleteRecordInput, ZDeleteRecordOutput } from "~/server/services/records/delete-record";
import { getRecord, ZGetRecordInput } from "~/server/services/records/get-record";
import { getRecordDetail, ZRecordDetail, ZRecordIdInput } from "~/server/services/records/get-record-detail";
import { listEntities, ZEntityInfo } from "~/server/services/records/list-entities";
import { listRecords, ZListRecordsInput, ZRecordPage } from "~/server/services/records/list-records";
import { readRecordLive, ZLiveReadResult } from "~/server/services/records/read-record-live";
import { recordTimeline, ZRecordTimeline, ZRecordTimelineInput } from "~/server/services/records/record-timeline";
import { ZRecordView } from "~/server/services/records/record-view";
import { restoreRecord, ZRestoreRecordInput, ZRestoreRecordOutput } from "~/server/services/records/restore-record";
import { upsertRecord, ZUpsertRecordInput, ZUpsertRecordOutput } from "~/server/services/records/upsert-record";

/**
 * Canonical records. For internal tools (API keys: `read` for list/get, `write` for upsert/delete) and
 * the console: the record page (`page`, `timeline`, `readLive`, readable by viewers) and `restore` (admins).
 */
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
      return result;
    }),
  delete: adminProcedure
    .input(ZDeleteRecordInput)
    .output(ZDeleteRecordOutput)
    .mutation(async ({ ctx, input }) => {
      const engine = requireEngine(ctx);
      const result = await deleteRecord({ engine, actor: ctx.actor, input });
      return result;
    }),
  /** The entities the configuration declares, for the Records page's picker. */
  entities: protectedProcedure.output(z.array(ZEntityInfo)).query(({ ctx }) => listEntities({ config: requireEngine(ctx).config })),
  page: protectedProcedure
    .input(ZRecordIdInput)
    .output(ZRecordDetail)
    .query(({ ctx, input }) => getRecordDetail({ db: ctx.db, config: requireEngine(ctx).config, input, tombstoneDays: env.TOMBSTONE_DAYS })),
  timeline: protectedProcedure
    .input(ZRecordTimelineInput)
    .output(ZRecordTimeline)
    .query(({ ctx, input }) => recordTimeline({ db: ctx.db, input })),
  /** Reads the record from each linked system now; it only reads, so viewers may too. */
  readLive: protectedProcedure
    .input(ZRecordIdInput)
    .output(ZLiveReadResult)
    .query(({ ctx, input }) => readRecordLive({ engine: requireEngine(ctx), input })),
  restore: adminProcedure
    .input(ZRestoreRecordInput)
    .output(ZRestoreRecordOutput)
    .mutation(({ ctx, input }) => restoreRecord({ engine: requireEngine(ctx), actor: ctx.actor, input })),
});
