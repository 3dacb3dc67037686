import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { adminProcedure, createTRPCRouter, protectedProcedure, requireEngine } from "~/server/api/trpc";
import { fieldOwnership, ZFieldOwnershipInput, ZOwnershipMatrix } from "~/server/services/systems/field-ownership";
import { getSystem } from "~/server/services/systems/get-system";
import { listSystems } from "~/server/services/systems/list-systems";
import { removeOldWebhookSecrets, ZRemoveOldWebhookSecretsInput } from "~/server/services/systems/remove-old-webhook-secrets";
import { rotateWebhookSecret, ZRotateWebhookSecretInput, ZRotateWebhookSecretOutput } from "~/server/services/systems/rotate-webhook-secret";
import { setSystemCredential, ZSetSystemCredentialInput } from "~/server/services/systems/set-system-credential";
import { ZSystemKey, ZSystemView } from "~/server/services/systems/system-view";
import { testConnection, ZTestConnectionInput, ZTestConnectionResult } from "~/server/services/systems/test-connection";
import { updateSystem, ZUpdateSystemInput } from "~/server/services/systems/update-system";

/** Connection settings per system. No procedure ever returns a secret, except the new webhook secret once. */
export const systemsRouter = createTRPCRouter({
  list: protectedProcedure.output(z.array(ZSystemView)).query(({ ctx }) => listSystems({ engine: requireEngine(ctx) })),
  get: protectedProcedure
    .input(z.object({ key: ZSystemKey }))
    .output(ZSystemView)
    .query(({ ctx, input }) => getSystem({ engine: requireEngine(ctx), key: input.key })),
  /** Per entity: field × system → owner / two-way / receives / local, with each system's own field name (from the configuration). */
  ownership: protectedProcedure
    .input(ZFieldOwnershipInput)
    .output(z.array(ZOwnershipMatrix))
    .query(({ ctx, input }) => fieldOwnership(requireEngine(ctx).config, input)),
  update: adminProcedure
    .input(ZUpdateSystemInput)
    .output(ZSystemView)
    .mutation(({ ctx, input }) => updateSystem({ engine: requireEngine(ctx), actor: ctx.actor, input })),
  setCredential: adminProcedure
    .input(ZSetSystemCredentialInput)
    .output(ZSystemView)
    .mutation(({ ctx, input }) => setSystemCredential({ engine: requireEngine(ctx), actor: ctx.actor, input })),
  rotateWebhookSecret: adminProcedure
    .input(ZRotateWebhookSecretInput)
    .output(ZRotateWebhookSecretOutput)
    .mutation(({ ctx, input }) => rotateWebhookSecret({ engine: requireEngine(ctx), actor: ctx.actor, input })),
  removeOldWebhookSecrets: adminProcedure
    .input(ZRemoveOldWebhookSecretsInput)
    .output(ZSystemView)
    .mutation(({ ctx, input }) => removeOldWebhookSecrets({ engine: requireEngine(ctx), actor: ctx.actor, input })),
  /** Anyone signed in may probe reads; creating and deleting a probe record is for admins (audited). */
  testConnection: protectedProcedure
    .input(ZTestConnectionInput)
    .output(ZTestConnectionResult)
    .mutation(({ ctx, input }) => {
      if (input.probeWrite && ctx.actor.role !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: "Only admins can write a probe record." });
      return testConnection({ engine: requireEngine(ctx), actor: ctx.actor, input });
    }),
});
