import { adminProcedure, createTRPCRouter, protectedProcedure, requireEngine } from "~/server/api/trpc";
import { listWebhookEvents, ZListWebhookEventsInput, ZWebhookEventList } from "~/server/services/webhooks/list-webhook-events";
import { settleWebhookEvents, ZSettleWebhookEventsInput, ZSettleWebhookEventsOutput } from "~/server/services/webhooks/settle-webhook-events";

/** Stored webhook events that did not apply: each with its attempts, replayed or dismissed by an admin. */
export const webhooksRouter = createTRPCRouter({
  list: protectedProcedure
    .input(ZListWebhookEventsInput)
    .output(ZWebhookEventList)
    .query(({ ctx, input }) => listWebhookEvents({ engine: requireEngine(ctx), input })),
  settle: adminProcedure
    .input(ZSettleWebhookEventsInput)
    .output(ZSettleWebhookEventsOutput)
    .mutation(({ ctx, input }) => settleWebhookEvents({ engine: requireEngine(ctx), actor: ctx.actor, input })),
});
