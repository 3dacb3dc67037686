import { z } from "zod";
import type { Engine } from "~/server/engine/context";
import { findUnlinkedRecords } from "./find-unlinked-records";
import { ZEntityKey, ZSystemKey } from "./link-view";
import { nameSimilarity, prepareName } from "./name-similarity";
import { allUnlinkedDocuments } from "./read-unlinked-documents";
import { resolveScope } from "./resolve-scope";

export const ZSuggestLinksInput = z.object({
  entity: ZEntityKey,
  system: ZSystemKey,
  /** Candidates scoring below this are left out. */
  minScore: z.number().min(0).max(1).default(0.6),
  /** Candidates per document, best first. */
  perDocument: z.number().int().min(1).max(10).default(3),
});

export const ZLinkCandidate = z.object({
  recordId: z.string(),
  name: z.string().nullable(),
  naturalKey: z.string(),
  /** 1 for the same natural key; below 1 for a name match. */
  score: z.number(),
  reason: z.string(),
});

export const ZLinkSuggestion = z.object({
  system: z.string(),
  externalId: z.string(),
  name: z.string().nullable(),
  naturalKey: z.string().nullable(),
  candidates: z.array(ZLinkCandidate),
});
export type TLinkSuggestion = z.infer<typeof ZLinkSuggestion>;

/**
 * For each document of a system that no record is linked to, the Concord records not yet linked there
 * that are probably the same thing: the same natural key (score 1, "same slug"), else a similar name.
 * Only documents with at least one candidate are returned, the surest first.
 */
export async function suggestLinks({ engine, input }: { engine: Engine; input: z.input<typeof ZSuggestLinksInput> }): Promise<TLinkSuggestion[]> {
  const { entity, system, minScore, perDocument } = ZSuggestLinksInput.parse(input);
  const scope = resolveScope(engine, entity, system);
  const [docs, { items: recs }] = await Promise.all([allUnlinkedDocuments(engine, scope), findUnlinkedRecords(engine.db, scope)]);
  const prepared = recs.map((r) => ({ record: r, name: prepareName(r.name ?? "") }));
  const sameKey = `same ${scope.entity.naturalKey}`;

  const out: TLinkSuggestion[] = [];
  for (const doc of docs) {
    const docName = prepareName(doc.name ?? "");
    const candidates = prepared
      .map(({ record, name }) => {
        if (doc.naturalKey !== null && doc.naturalKey === record.naturalKey) return { record, score: 1, reason: sameKey };
        const { score, reason } = nameSimilarity(docName, name);
        return { record, score, reason: reason as string };
      })
      .filter((c) => c.score >= minScore)
      .sort((a, b) => b.score - a.score || a.record.naturalKey.localeCompare(b.record.naturalKey))
      .slice(0, perDocument)
      .map(({ record, score, reason }) => ({ recordId: record.recordId, name: record.name, naturalKey: record.naturalKey, score, reason }));
    if (candidates.length) out.push({ system: scope.binding.system, externalId: doc.externalId, name: doc.name, naturalKey: doc.naturalKey, candidates });
  }
  return out.sort((a, b) => b.candidates[0]!.score - a.candidates[0]!.score || (a.name ?? "").localeCompare(b.name ?? ""));
}
