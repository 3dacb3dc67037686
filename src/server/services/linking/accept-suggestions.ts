import { z } from "zod";
import { isSyncError } from "~/sync/errors";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { linkRecord } from "./link-record";
import { ZLinkTarget, ZLinkView } from "./link-view";

export const ZAcceptSuggestionsInput = z.object({ items: z.array(ZLinkTarget).min(1).max(500) });

export const ZAcceptOutcome = ZLinkTarget.extend({
  ok: z.boolean(),
  link: ZLinkView.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});

export const ZAcceptSuggestionsResult = z.object({
  linked: z.number(),
  refused: z.number(),
  items: z.array(ZAcceptOutcome),
});
export type TAcceptSuggestionsResult = z.infer<typeof ZAcceptSuggestionsResult>;

/**
 * Links many pairs at once, each as its own link (own transaction, own audit row); a pair that is
 * refused (already linked, gone…) does not stop the others. Never relinks.
 */
export async function acceptSuggestions({
  engine,
  actor,
  input,
}: {
  engine: Engine;
  actor: TActor;
  input: z.input<typeof ZAcceptSuggestionsInput>;
}): Promise<TAcceptSuggestionsResult> {
  const { items } = ZAcceptSuggestionsInput.parse(input);
  const outcomes: z.infer<typeof ZAcceptOutcome>[] = [];
  for (const item of items) {
    try {
      const { link } = await linkRecord({ engine, actor, input: { ...item, relink: false }, auditAction: "links.acceptSuggestions" });
      outcomes.push({ ...item, ok: true, link, error: null });
    } catch (err) {
      if (!isSyncError(err)) engine.log.error({ err, item }, "accepting a link suggestion failed");
      const error = isSyncError(err) ? { code: err.code, message: err.message } : { code: "INTERNAL", message: "Something went wrong on the server. It has been logged." };
      outcomes.push({ ...item, ok: false, link: null, error });
    }
  }
  const linked = outcomes.filter((o) => o.ok).length;
  return { linked, refused: outcomes.length - linked, items: outcomes };
}
