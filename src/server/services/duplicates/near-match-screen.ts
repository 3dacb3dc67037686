import { bindingFor } from "~/sync/config";
import { planTargets } from "~/sync/plan";
import type { Engine } from "~/server/engine/context";
import { nameSimilarity, prepareName, type TPreparedName } from "../linking/name-similarity";
import { allUnlinkedDocuments, type TUnlinkedDocument } from "../linking/read-unlinked-documents";
import { nearMatchSetting } from "./near-match-settings";

/** What a target system holds unlinked, read once before a full run writes to it. */
export interface TNearMatchScreen {
  system: string;
  minScore: number;
  docs: (TUnlinkedDocument & { prepared: TPreparedName })[];
}

export interface TNearMatch {
  doc: TUnlinkedDocument;
  score: number;
  reason: string;
}

/**
 * The screens of a full run of `entity` read from `origin`: every system it would create records in whose
 * binding holds near-matches and which holds unlinked documents. A system that cannot be read is not
 * screened (its creates would fail the same way); the run says so in the log.
 */
export async function loadNearMatchScreens(engine: Engine, opts: { entity: string; origin: string }): Promise<TNearMatchScreen[]> {
  const entity = engine.config.entities[opts.entity];
  if (!entity) return [];
  const screens: TNearMatchScreen[] = [];
  for (const system of planTargets({ config: engine.config, entity: opts.entity, origin: opts.origin, changedKeys: [], created: true })) {
    const binding = bindingFor(engine.config, opts.entity, system)!;
    const setting = await nearMatchSetting(engine.db, binding);
    if (!setting.hold) continue;
    try {
      const docs = await allUnlinkedDocuments(engine, { entity, binding });
      if (docs.length) screens.push({ system, minScore: setting.minScore, docs: docs.map((d) => ({ ...d, prepared: prepareName(d.name ?? "") })) });
    } catch (err) {
      engine.log.warn({ err, system, entity: opts.entity }, "could not read the target's unlinked documents: its creates are not screened for near-matches");
    }
  }
  return screens;
}

/**
 * The unlinked document of a screen that best resembles a record about to be created there, or null.
 * A document with the record's own natural key is no near-match (the create finds and links it), and a
 * document whose key another live record holds is spoken for (that record links to it).
 */
export function bestNearMatch(screen: TNearMatchScreen, record: { name: string | null; naturalKey: string }, spokenFor: Set<string>): TNearMatch | null {
  if (screen.docs.some((d) => d.naturalKey === record.naturalKey)) return null;
  const name = prepareName(record.name ?? "");
  let best: TNearMatch | null = null;
  for (const doc of screen.docs) {
    if (doc.naturalKey !== null && spokenFor.has(doc.naturalKey)) continue;
    const { score, reason } = nameSimilarity(name, doc.prepared);
    if (score >= screen.minScore && (!best || score > best.score)) best = { doc, score, reason };
  }
  return best;
}
