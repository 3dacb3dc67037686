import { z } from "zod";
import { adminProcedure, createTRPCRouter, protectedProcedure, requireEngine } from "~/server/api/trpc";
import { listSchedules, ZListSchedulesInput } from "~/server/services/schedules/list-schedules";
import { ZScheduleView } from "~/server/services/schedules/schedule-view";
import { updateSchedule, ZUpdateScheduleInput } from "~/server/services/schedules/update-schedule";

/** A cron schedule per binding: read by anyone signed in, edited by admins (audited). */
export const schedulesRouter = createTRPCRouter({
  list: protectedProcedure
    .input(ZListSchedulesInput)
    .output(z.array(ZScheduleView))
    .query(({ ctx, input }) => listSchedules({ engine: requireEngine(ctx), input })),
  update: adminProcedure
    .input(ZUpdateScheduleInput)
    .output(ZScheduleView)
    .mutation(({ ctx, input }) => updateSchedule({ engine: requireEngine(ctx), actor: ctx.actor, input })),
});
