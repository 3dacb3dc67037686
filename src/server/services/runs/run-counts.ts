import type { TRunCounts } from "~/server/db/schema";
import type { TChangeOutcome } from "../ingest/types";

export const emptyCounts = (): TRunCounts => ({ fetched: 0, created: 0, updated: 0, deleted: 0, unchanged: 0, echoes: 0, conflicts: 0, failed: 0, linked: 0 });

/** Which counter an item's outcome adds to. */
export function countOutcome(counts: TRunCounts, outcome: TChangeOutcome | "failed" | "invalid" | "linked"): void {
  const key: Record<string, keyof TRunCounts> = {
    created: "created",
    applied: "updated",
    deleted: "deleted",
    echo: "echoes",
    unchanged: "unchanged",
    stale: "unchanged",
    filtered: "unchanged",
    ignored: "unchanged",
    conflict: "conflicts",
    foreign: "conflicts",
    failed: "failed",
    invalid: "failed",
    linked: "linked",
  };
  counts[key[outcome] ?? "unchanged"] += 1;
}
