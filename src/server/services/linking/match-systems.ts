import { z } from "zod";
import { bindingsOf, isSourceBinding } from "~/sync/config";
import { SyncError } from "~/sync/errors";
import type { Engine } from "~/server/engine/context";
import { ZEntityKey, ZSystemKey } from "./link-view";
import { nameSimilarity, prepareName } from "./name-similarity";
import { allUnlinkedDocuments } from "./read-unlinked-documents";
import { resolveScope } from "./resolve-scope";

export const ZMatchSystemsInput = z.object({
  entity: ZEntityKey,
  /** The system whose unlinked documents are matched… */
  system: ZSystemKey,
  /** …against the unlinked documents of this one. */
  from: ZSystemKey,
  minScore: z.number().min(0).max(1).default(0.6),
  perDocument: z.number().int().min(1).max(10).default(3),
});

export const ZDocumentMatch = z.object({
  externalId: z.string(),
  name: z.string().nullable(),
  naturalKey: z.string().nullable(),
  candidates: z.array(z.object({ externalId: z.string(), name: z.string().nullable(), naturalKey: z.string().nullable(), score: z.number(), reason: z.string() })),
});
export type TDocumentMatch = z.infer<typeof ZDocumentMatch>;

/** The other systems an entity lives in, for matching one system's documents against (those that may create records first). */
export function matchSources(engine: Engine, entity: string, system: string): string[] {
  return bindingsOf(engine.config, entity)
    .filter((b) => b.system !== system && isSourceBinding(b))
    .map((b) => b.system);
}

/**
 * Matching before any run: reads both systems and pairs each unlinked document of `system` with the unlinked
 * documents of `from` that are probably the same thing — the same natural key (1.0), else a similar name —
 * best first. Nothing needs to be in Concord yet; only documents with a candidate are returned.
 */
export async function matchSystems({ engine, input }: { engine: Engine; input: z.input<typeof ZMatchSystemsInput> }): Promise<TDocumentMatch[]> {
  const { entity, system, from, minScore, perDocument } = ZMatchSystemsInput.parse(input);
  if (system === from) throw new SyncError("BAD_REQUEST", "Match a system against another one.", { field: "from" });
  const target = resolveScope(engine, entity, system);
  const source = resolveScope(engine, entity, from);
  const [docs, others] = await Promise.all([allUnlinkedDocuments(engine, target), allUnlinkedDocuments(engine, source)]);
  const prepared = others.map((o) => ({ doc: o, name: prepareName(o.name ?? "") }));
  const sameKey = `same ${target.entity.naturalKey}`;
  const out: TDocumentMatch[] = [];
  for (const doc of docs) {
    const name = prepareName(doc.name ?? "");
    const candidates = prepared
      .map(({ doc: o, name: oName }) => (doc.naturalKey !== null && doc.naturalKey === o.naturalKey ? { o, score: 1, reason: sameKey } : { o, ...nameSimilarity(name, oName) }))
      .filter((c) => c.score >= minScore)
      .sort((a, b) => b.score - a.score || (a.o.name ?? "").localeCompare(b.o.name ?? ""))
      .slice(0, perDocument)
      .map(({ o, score, reason }) => ({ externalId: o.externalId, name: o.name, naturalKey: o.naturalKey, score, reason: String(reason) }));
    if (candidates.length) out.push({ ...doc, candidates });
  }
  return out.sort((a, b) => b.candidates[0]!.score - a.candidates[0]!.score || (a.name ?? "").localeCompare(b.name ?? ""));
}
