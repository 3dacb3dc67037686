import type { TBinding, TEntity } from "./config/types";
import { mayWrite } from "./config/validate";
import { isIdKey, sameValue, type TValues } from "./mapping";

/** When and by whom a field of a record last changed. */
export interface TFieldStamp {
  at: string; // ISO time at the source
  by: string; // system key
}

export interface TRecordState {
  data: TValues;
  stamps: Record<string, TFieldStamp>;
  /** field → open conflict id: the field waits until an admin resolves it. */
  held: Record<string, string>;
}

export type TConflictResolution = "theirs" | "ours" | "held";

export interface TConflictFinding {
  field: string;
  base: unknown;
  theirs: unknown;
  ours: unknown;
  oursBy: string | null;
  resolution: TConflictResolution;
  /** Why: "lww" | "priority" | "manual" | "foreign-write". */
  reason: string;
}

export interface TMergeResult {
  /** Fields to set on the record, with their new stamps. */
  apply: TValues;
  stamps: Record<string, TFieldStamp>;
  /** Fields the origin changed though it may not write them. */
  foreign: string[];
  /** Fields whose incoming value is older than what Concord holds. */
  stale: string[];
  conflicts: TConflictFinding[];
  /** What the origin holds now: the new "last agreed" values of its link (none when the event is out of date). */
  agreed: TValues;
  /** Fields holding a copy Concord itself sent the origin: never an edit, whatever they differ from. */
  echoed: string[];
  /** Nothing the origin reported is an edit of its own (unchanged since it last agreed, or Concord's copies). */
  echo: boolean;
}

export interface TMergeInput {
  entity: TEntity;
  origin: TBinding;
  record: TRecordState;
  /** The origin link's last agreed values; null when unknown (new link). */
  lastAgreed: TValues | null;
  incoming: TValues;
  sourceTime: Date;
  /** field → values Concord recently sent (or may have sent) the origin: the echo ledger. */
  sentHere?: Record<string, unknown[]>;
  /**
   * Whether this is the newest state of the document Concord has seen (by the origin's own version). An
   * older event may still carry an edit, settled by its time; only such an edit, of a field Concord has not
   * written there since (`writtenSince`), tells what the origin holds.
   */
  current?: boolean;
  writtenSince?: Set<string>;
  /** For an out-of-date state, what the origin held of a field then, where Concord has overwritten it since. */
  heldThen?: Record<string, unknown>;
  /** field → values of the origin's that already lost a conflict by policy: reported again, they are no new edit. */
  lostBefore?: Record<string, unknown[]>;
}

function winnerByPolicy(input: TMergeInput, ours: TFieldStamp | undefined): TConflictResolution {
  const { entity, origin, sourceTime } = input;
  if (entity.conflictPolicy === "manual") return "held";
  if (entity.conflictPolicy === "priority" && ours) {
    const rank = (s: string) => {
      const i = entity.priority.indexOf(s);
      return i === -1 ? Number.MAX_SAFE_INTEGER : i;
    };
    if (rank(origin.system) !== rank(ours.by)) return rank(origin.system) < rank(ours.by) ? "theirs" : "ours";
  }
  // last-write-wins by source time (also the tie-break for priority)
  if (!ours) return "theirs";
  return sourceTime.getTime() > Date.parse(ours.at) ? "theirs" : "ours";
}

/**
 * Decides, field by field, what one observed change from `origin` does to a record.
 * - a value equal to what the origin last agreed is no change;
 * - a value equal to one Concord sent the origin is Concord's own copy coming back, however late or out of
 *   order: never an edit, so it can neither win a conflict nor be taken as newer than the edit it copied
 *   (a copy carries its origin edit's time; the time the origin applied it means nothing);
 * - a change to a field the origin may not write is foreign (the binding overwrites or flags it);
 * - a field changed on both sides since they last agreed is a conflict, settled by the entity's policy;
 * - an event older than the value Concord holds never overwrites it (stale).
 */
export function mergeChange(input: TMergeInput): TMergeResult {
  const { origin, record, lastAgreed, incoming, sourceTime } = input;
  const result: TMergeResult = { apply: {}, stamps: {}, foreign: [], stale: [], conflicts: [], agreed: {}, echoed: [], echo: true };
  const at = sourceTime.toISOString();
  const current = input.current ?? true;

  for (const [field, theirs] of Object.entries(incoming)) {
    if (current) result.agreed[field] = theirs;
    if (isIdKey(field)) continue; // ids are link data, handled by the caller
    const base = !current && input.heldThen && field in input.heldThen ? input.heldThen[field] : lastAgreed && field in lastAgreed ? lastAgreed[field] : undefined;
    if (base !== undefined && sameValue(theirs, base)) continue; // the origin did not change it
    if (input.sentHere?.[field]?.some((v) => sameValue(theirs, v))) {
      result.echoed.push(field); // Concord's own copy: the caller puts the record's value back if they differ
      continue;
    }
    result.echo = false;
    const ours = record.data[field];
    if (sameValue(theirs, ours)) continue; // already agreed
    const stamp = record.stamps[field];

    if (!mayWrite(origin, field)) {
      const resolution = origin.onForeignWrite === "flag" ? "held" : "ours";
      result.foreign.push(field);
      result.conflicts.push({ field, base: base ?? null, theirs, ours, oursBy: stamp?.by ?? null, resolution, reason: "foreign-write" });
      continue;
    }
    if (record.held[field]) {
      result.conflicts.push({ field, base: base ?? null, theirs, ours, oursBy: stamp?.by ?? null, resolution: "held", reason: "manual" });
      continue;
    }
    const oursChanged = base !== undefined && !sameValue(ours, base);
    if (oursChanged && input.lostBefore?.[field]?.some((v) => sameValue(theirs, v))) {
      // The origin still shows a value that already lost: its time is that of its first report, not of this
      // later document (whose updated-at belongs to an edit of another field).
      result.stale.push(field);
      continue;
    }
    if (oursChanged) {
      const resolution = winnerByPolicy(input, stamp);
      result.conflicts.push({ field, base, theirs, ours, oursBy: stamp?.by ?? null, resolution, reason: input.entity.conflictPolicy });
      if (resolution === "theirs") {
        result.apply[field] = theirs;
        result.stamps[field] = { at, by: origin.system };
      }
      continue;
    }
    if (stamp && sourceTime.getTime() < Date.parse(stamp.at)) {
      result.stale.push(field);
      continue;
    }
    result.apply[field] = theirs;
    result.stamps[field] = { at, by: origin.system };
  }
  if (!current) {
    // An out-of-date state still holds an edit that won by its time, unless Concord has written the field
    // there since; any other field may have changed there since, so the link keeps what it knew.
    for (const [field, value] of Object.entries(result.apply)) if (!input.writtenSince?.has(field)) result.agreed[field] = value;
  }
  return result;
}
