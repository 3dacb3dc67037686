import type { TValues } from "./mapping";

/** One send in the echo ledger: its canonical values, and the target's version of the document once it answered. */
export interface TSentEntry {
  values: TValues;
  /** What the target held of those fields before this send, as far as Concord knew (its link's values). */
  prior?: TValues;
  /** ISO time: the target's updated-at in its answer; absent while (or when) the answer is unknown. */
  version?: string;
}

export interface TEchoView {
  /** Whether this is the newest state of the document Concord has seen there (by the origin's own version). */
  current: boolean;
  /** field → values Concord sent the origin that a document in this state may hold as Concord's copy. */
  sentHere: Record<string, unknown[]>;
  /** Fields Concord wrote there after this state (or may have: answer unknown): the origin holds those no longer. */
  writtenSince: Set<string>;
  /**
   * For an out-of-date state: field → what the origin held of it at that state, as far as Concord knew —
   * the value Concord's first answered overwrite after it found there. The state changed the field only if
   * it differs from that, not from what Concord has written there since.
   */
  heldThen: Record<string, unknown>;
}

/**
 * What Concord's own sends mean for one observed state of a document (`version`: its updated-at there;
 * `seen`: the newest version Concord knows of, from events and from its writes' answers).
 * - A state older than `seen` is out of date: its edits are settled by their times, but it tells what the
 *   origin holds only for fields Concord has not written since.
 * - A value equal to something Concord sent is Concord's copy. Only a state newer than every version
 *   Concord has seen can hold such a value as the origin's own edit (set back by someone after all of
 *   Concord's answered writes), so then only sends whose answer never came count.
 * Without versions (a system that reports none), the ledger alone decides.
 */
export function echoView(entries: TSentEntry[], version: Date | null, seen: Date | null): TEchoView {
  const v = version?.getTime();
  const s = seen?.getTime();
  const current = v === undefined || s === undefined || v >= s;
  const newerThanSeen = v !== undefined && (s === undefined || v > s);
  const sentHere: Record<string, unknown[]> = {};
  const writtenSince = new Set<string>();
  const heldThen: Record<string, unknown> = {};
  const firstAfter: Record<string, number> = {};
  for (const entry of entries) {
    const answered = entry.version ? Date.parse(entry.version) : undefined;
    if (!(newerThanSeen && answered !== undefined)) {
      for (const [field, value] of Object.entries(entry.values ?? {})) (sentHere[field] ??= []).push(value);
    }
    if (v === undefined || answered === undefined || answered > v) for (const field of Object.keys(entry.values ?? {})) writtenSince.add(field);
    if (!current && v !== undefined && answered !== undefined && answered > v) {
      for (const [field, value] of Object.entries(entry.prior ?? {})) {
        if (firstAfter[field] !== undefined && firstAfter[field] <= answered) continue;
        firstAfter[field] = answered;
        heldThen[field] = value;
      }
    }
  }
  return { current, sentHere, writtenSince, heldThen };
}
