import { adminProcedure, createTRPCRouter, protectedProcedure, requireEngine } from "~/server/api/trpc";
import { cancelDelivery, ZCancelDeliveryInput } from "~/server/services/deliveries/cancel-delivery";
import { countDeliveries, ZCountDeliveriesInput, ZDeliveryStatusCounts } from "~/server/services/deliveries/count-deliveries";
import { ZDeliveryView } from "~/server/services/deliveries/delivery-view";
import { getDelivery, ZDeliveryDetail, ZGetDeliveryInput } from "~/server/services/deliveries/get-delivery";
import { listDeliveries, ZDeliveryPage, ZListDeliveriesInput } from "~/server/services/deliveries/list-deliveries";
import { replayDeliveries, ZReplayDeliveriesInput, ZReplayDeliveriesOutput } from "~/server/services/deliveries/replay-deliveries";
import { replayDelivery, ZReplayDeliveryInput, ZReplayDeliveryOutput } from "~/server/services/deliveries/replay-delivery";

/** The delivery queue: what was sent where, every attempt, dead letters and their replay. */
export const deliveriesRouter = createTRPCRouter({
  list: protectedProcedure
    .input(ZListDeliveriesInput)
    .output(ZDeliveryPage)
    .query(({ ctx, input }) => listDeliveries({ db: ctx.db, input })),
  /** How many match the filter, per status (the Pending / Retrying / Dead tabs). */
  counts: protectedProcedure
    .input(ZCountDeliveriesInput)
    .output(ZDeliveryStatusCounts)
    .query(({ ctx, input }) => countDeliveries({ db: ctx.db, input })),
  get: protectedProcedure
    .input(ZGetDeliveryInput)
    .output(ZDeliveryDetail)
    .query(({ ctx, input }) => getDelivery({ db: ctx.db, input, showExcerpts: ctx.actor.role === "admin" })),
  replay: adminProcedure
    .input(ZReplayDeliveryInput)
    .output(ZReplayDeliveryOutput)
    .mutation(({ ctx, input }) => replayDelivery({ engine: requireEngine(ctx), actor: ctx.actor, input })),
  replayMany: adminProcedure
    .input(ZReplayDeliveriesInput)
    .output(ZReplayDeliveriesOutput)
    .mutation(({ ctx, input }) => replayDeliveries({ engine: requireEngine(ctx), actor: ctx.actor, input })),
  cancel: adminProcedure
    .input(ZCancelDeliveryInput)
    .output(ZDeliveryView)
    .mutation(({ ctx, input }) => cancelDelivery({ engine: requireEngine(ctx), actor: ctx.actor, input })),
});
