import { z } from "zod";
import { adminProcedure, createTRPCRouter, protectedProcedure, requireEngine } from "~/server/api/trpc";
import { exportVesselBundle } from "~/server/services/fleet/export-bundle";
import { getFleetGroup, ZFleetGroupView, ZGetFleetGroupInput } from "~/server/services/fleet/get-fleet-group";
import { syncFleet, ZSyncFleetInput, ZSyncFleetOutput } from "~/server/services/fleet/sync-fleet";
import {
  listTemporaryPasswords,
  revealTemporaryPassword,
  ZListTemporaryPasswordsInput,
  ZRevealTemporaryPasswordInput,
  ZTemporaryPasswordView,
} from "~/server/services/fleet/temporary-passwords";
import { exportTemporaryPasswords, ZExportTemporaryPasswordsInput, ZExportTemporaryPasswordsResult } from "~/server/services/fleet/export-temporary-passwords";
import { listValueMaps, updateValueMap, ZUpdateValueMapInput, ZValueMapView } from "~/server/services/fleet/value-maps";

const ZDoc = z.record(z.string(), z.unknown());

/** Onboarding Portal → Maintenance Portal: fleet syncs and their group page, a vessel's bundle, the role mapping, temporary passwords. */
export const fleetRouter = createTRPCRouter({
  sync: adminProcedure.input(ZSyncFleetInput).output(ZSyncFleetOutput).mutation(({ ctx, input }) => syncFleet({ engine: requireEngine(ctx), actor: ctx.actor, input })),
  group: protectedProcedure.input(ZGetFleetGroupInput).output(ZFleetGroupView).query(({ ctx, input }) => getFleetGroup(requireEngine(ctx), input)),
  exportBundle: protectedProcedure
    .input(z.object({ vessel: z.string().trim().min(1).max(200) }))
    .output(z.object({ company: ZDoc.nullable(), vessel: ZDoc, equipment: z.array(ZDoc), users: z.array(ZDoc) }))
    .query(({ ctx, input }) => exportVesselBundle(requireEngine(ctx), input.vessel)),
  valueMaps: protectedProcedure.output(z.array(ZValueMapView)).query(({ ctx }) => listValueMaps(requireEngine(ctx))),
  updateValueMap: adminProcedure.input(ZUpdateValueMapInput).output(ZValueMapView).mutation(({ ctx, input }) => updateValueMap({ engine: requireEngine(ctx), actor: ctx.actor, input })),
  temporaryPasswords: adminProcedure
    .input(ZListTemporaryPasswordsInput)
    .output(z.array(ZTemporaryPasswordView))
    .query(({ ctx, input }) => listTemporaryPasswords({ engine: requireEngine(ctx), actor: ctx.actor, input })),
  /** Every password of a run still to show, as one CSV, shown once (each through the same reveal). */
  exportTemporaryPasswords: adminProcedure
    .input(ZExportTemporaryPasswordsInput)
    .output(ZExportTemporaryPasswordsResult)
    .mutation(({ ctx, input }) => exportTemporaryPasswords({ engine: requireEngine(ctx), actor: ctx.actor, input })),
  revealTemporaryPassword: adminProcedure
    .input(ZRevealTemporaryPasswordInput)
    .output(z.object({ label: z.string(), password: z.string() }))
    .mutation(({ ctx, input }) => revealTemporaryPassword({ engine: requireEngine(ctx), actor: ctx.actor, input })),
});
