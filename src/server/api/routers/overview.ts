import { z } from "zod";
import { createTRPCRouter, protectedProcedure, requireEngine } from "~/server/api/trpc";
import { getDeliverySeries, ZDeliverySeries, ZSeriesInput } from "~/server/services/overview/delivery-series";
import { getSystemHealth, ZSystemHealth } from "~/server/services/overview/system-health";
import { deriveTopology, ZTopology } from "~/server/services/overview/topology";

/** The Overview: per-system health, deliveries over time and the topology. Read-only, so viewers may read it. */
export const overviewRouter = createTRPCRouter({
  health: protectedProcedure.output(z.array(ZSystemHealth)).query(({ ctx }) => getSystemHealth({ engine: requireEngine(ctx) })),
  series: protectedProcedure
    .input(ZSeriesInput)
    .output(ZDeliverySeries)
    .query(({ ctx, input }) => getDeliverySeries({ engine: requireEngine(ctx), input })),
  topology: protectedProcedure.output(ZTopology).query(({ ctx }) => deriveTopology(requireEngine(ctx).config)),
});
