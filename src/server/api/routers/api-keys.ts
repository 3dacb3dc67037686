import { z } from "zod";
import { adminProcedure, createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { ZApiKeyView } from "~/server/services/api-keys/api-key-view";
import { createApiKey, ZCreateApiKeyInput, ZCreateApiKeyOutput } from "~/server/services/api-keys/create-api-key";
import { listApiKeys } from "~/server/services/api-keys/list-api-keys";
import { revokeApiKey, ZRevokeApiKeyInput } from "~/server/services/api-keys/revoke-api-key";

/** Keys for internal tools. The key is returned by `create` only; no procedure ever returns it or its hash. API keys cannot call these. */
export const apiKeysRouter = createTRPCRouter({
  list: protectedProcedure.output(z.array(ZApiKeyView)).query(({ ctx }) => listApiKeys({ db: ctx.db })),
  create: adminProcedure
    .input(ZCreateApiKeyInput)
    .output(ZCreateApiKeyOutput)
    .mutation(({ ctx, input }) => createApiKey({ db: ctx.db, actor: ctx.actor, input })),
  revoke: adminProcedure
    .input(ZRevokeApiKeyInput)
    .output(ZApiKeyView)
    .mutation(({ ctx, input }) => revokeApiKey({ db: ctx.db, actor: ctx.actor, input, now: ctx.engine?.now() })),
});
