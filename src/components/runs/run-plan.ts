import type { TPlanEntry } from "~/server/services/runs/plan-page";

export interface TParsedPlan {
  entries: TPlanEntry[];
  truncated: boolean;
  /** Deletes held by the mass-delete guard (external ids), with how many in all. */
  held: { ids: string[]; count: number; linked: number } | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function isEntry(v: unknown): v is TPlanEntry {
  return isObject(v) && typeof v.externalId === "string" && typeof v.action === "string" && isObject(v.fields);
}

/** A run's stored plan (dry run, or deletes held for approval) read defensively; null when there is none. */
export function parsePlan(plan: unknown): TParsedPlan | null {
  if (!isObject(plan)) return null;
  const entries = Array.isArray(plan.entries) ? plan.entries.filter(isEntry) : [];
  const ids = Array.isArray(plan.deletes) ? plan.deletes.filter((d): d is string => typeof d === "string") : null;
  const held = ids ? { ids, count: typeof plan.deleteCount === "number" ? plan.deleteCount : ids.length, linked: typeof plan.linkedCount === "number" ? plan.linkedCount : 0 } : null;
  if (!entries.length && !held && !Array.isArray(plan.entries)) return null;
  return { entries, truncated: plan.truncated === true, held };
}
