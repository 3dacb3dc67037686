import { z } from "zod";
import { adminProcedure, createTRPCRouter, protectedProcedure, requireEngine } from "~/server/api/trpc";
import { acceptSuggestions, ZAcceptSuggestionsInput, ZAcceptSuggestionsResult } from "~/server/services/linking/accept-suggestions";
import { linkDocuments, ZLinkDocumentsInput } from "~/server/services/linking/link-documents";
import { linkRecord, ZLinkResult } from "~/server/services/linking/link-record";
import { matchSystems, ZDocumentMatch, ZMatchSystemsInput } from "~/server/services/linking/match-systems";
import { ZLinkTarget } from "~/server/services/linking/link-view";
import { listLinks, ZLinkedPage, ZListLinksInput } from "~/server/services/linking/list-links";
import { listUnlinked, ZListUnlinkedInput, ZUnlinkedPage } from "~/server/services/linking/list-unlinked";
import { suggestLinks, ZLinkSuggestion, ZSuggestLinksInput } from "~/server/services/linking/suggest-links";
import { unlinkRecord, ZUnlinkInput, ZUnlinkResult } from "~/server/services/linking/unlink-record";

/** Linking records that existed before the sync (seed rule 6): see, suggest, link, unlink, relink. */
export const linksRouter = createTRPCRouter({
  unlinked: protectedProcedure
    .input(ZListUnlinkedInput)
    .output(ZUnlinkedPage)
    .query(({ ctx, input }) => listUnlinked({ engine: requireEngine(ctx), input })),
  linked: protectedProcedure
    .input(ZListLinksInput)
    .output(ZLinkedPage)
    .query(({ ctx, input }) => listLinks({ engine: requireEngine(ctx), input })),
  suggestions: protectedProcedure
    .input(ZSuggestLinksInput)
    .output(z.array(ZLinkSuggestion))
    .query(({ ctx, input }) => suggestLinks({ engine: requireEngine(ctx), input })),
  /** Matching before any run: one system's unlinked documents against another's. */
  matches: protectedProcedure
    .input(ZMatchSystemsInput)
    .output(z.array(ZDocumentMatch))
    .query(({ ctx, input }) => matchSystems({ engine: requireEngine(ctx), input })),
  linkDocuments: adminProcedure
    .input(ZLinkDocumentsInput)
    .output(ZLinkResult)
    .mutation(({ ctx, input }) => linkDocuments({ engine: requireEngine(ctx), actor: ctx.actor, input })),
  link: adminProcedure
    .input(ZLinkTarget)
    .output(ZLinkResult)
    .mutation(({ ctx, input }) => linkRecord({ engine: requireEngine(ctx), actor: ctx.actor, input: { ...input, relink: false } })),
  relink: adminProcedure
    .input(ZLinkTarget)
    .output(ZLinkResult)
    .mutation(({ ctx, input }) => linkRecord({ engine: requireEngine(ctx), actor: ctx.actor, input: { ...input, relink: true } })),
  unlink: adminProcedure
    .input(ZUnlinkInput)
    .output(ZUnlinkResult)
    .mutation(({ ctx, input }) => unlinkRecord({ engine: requireEngine(ctx), actor: ctx.actor, input })),
  acceptSuggestions: adminProcedure
    .input(ZAcceptSuggestionsInput)
    .output(ZAcceptSuggestionsResult)
    .mutation(({ ctx, input }) => acceptSuggestions({ engine: requireEngine(ctx), actor: ctx.actor, input })),
});
