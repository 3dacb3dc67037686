import type { TRunView } from "~/server/services/runs/run-view";

export const RUN_STATUSES = ["queued", "running", "awaiting-approval", "succeeded", "failed", "cancelled"] as const;
/** Every kind the runs table allows (the schema's list), for the history filter. */
export const RUN_KINDS = ["full", "incremental", "selective", "dry-run", "validate"] as const;
export const COUNT_KEYS = ["fetched", "created", "updated", "deleted", "unchanged", "echoes", "conflicts", "failed", "linked"] as const;

export const isActiveRun = (status: string) => status === "queued" || status === "running";

export const kindLabel = (kind: string) => (kind === "dry-run" ? "dry run" : kind === "validate" ? "validation" : kind);

/** "12 fetched, 3 created, 1 failed" (the non-zero counts), or null. */
export function countsSummary(counts: TRunView["counts"]): string | null {
  const parts = COUNT_KEYS.filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${k}`);
  return parts.length ? parts.join(", ") : null;
}

/** Items handled so far (every outcome but "fetched"). */
export const processed = (counts: TRunView["counts"]) => COUNT_KEYS.filter((k) => k !== "fetched").reduce((n, k) => n + counts[k], 0);

export function runDurationMs(run: Pick<TRunView, "startedAt" | "finishedAt">, now = new Date()): number | null {
  if (!run.startedAt) return null;
  return (run.finishedAt ?? now).getTime() - run.startedAt.getTime();
}
