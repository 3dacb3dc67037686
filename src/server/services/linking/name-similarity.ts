import { distance } from "fastest-levenshtein";

/** Lower-case, punctuation stripped (an ampersand reads as "and"), spaces collapsed. */
export function normalizeName(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/&/g, " and ")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

export interface TPreparedName {
  text: string;
  tokens: Set<string>;
}

export const prepareName = (name: string): TPreparedName => {
  const text = normalizeName(name);
  return { text, tokens: new Set(text.split(" ").filter(Boolean)) };
};

/** Names that only share words ("Roofing" / "Roofing Services") and names that are spelt alike ("Fitting" / "Fitters"). */
export type TNameReason = "same name" | "shared words" | "similar name";

/** A name match never scores 1: that is kept for the same natural key. */
export const NAME_SCORE_CAP = 0.99;

/**
 * How alike two names are, 0…0.99: the better of edit distance (1 − d / longer length) and word
 * overlap (the mean of overlap-of-the-shorter and Jaccard, so a name contained in the other scores
 * well without every shared generic word doing so).
 */
export function nameSimilarity(a: TPreparedName, b: TPreparedName): { score: number; reason: TNameReason } {
  if (!a.text || !b.text) return { score: 0, reason: "similar name" };
  if (a.text === b.text) return { score: NAME_SCORE_CAP, reason: "same name" };
  const longer = Math.max(a.text.length, b.text.length);
  const edit = 1 - distance(a.text, b.text) / longer;
  let shared = 0;
  for (const t of a.tokens) if (b.tokens.has(t)) shared++;
  const union = a.tokens.size + b.tokens.size - shared;
  const words = shared === 0 ? 0 : (shared / Math.min(a.tokens.size, b.tokens.size) + shared / union) / 2;
  const score = Math.min(NAME_SCORE_CAP, Math.max(edit, words));
  return { score: Math.round(score * 1000) / 1000, reason: words > edit ? "shared words" : "similar name" };
}
