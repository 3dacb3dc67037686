import { z } from "zod";
import type { TPlanEntry } from "./plan-page";

const ZPlanEntry = z.object({
  externalId: z.string(),
  recordId: z.string().nullable(),
  label: z.string(),
  action: z.enum(["create", "update", "link", "delete", "conflict"]),
  fields: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })),
  targets: z.array(z.string()),
});

/** The entries of a run's stored plan (a dry run's, or one held with its deletes), one per external id; [] when none. */
export function storedPlanEntries(plan: unknown): TPlanEntry[] {
  const raw = plan && typeof plan === "object" && Array.isArray((plan as { entries?: unknown }).entries) ? (plan as { entries: unknown[] }).entries : [];
  const seen = new Set<string>();
  const out: TPlanEntry[] = [];
  for (const item of raw) {
    const parsed = ZPlanEntry.safeParse(item);
    if (!parsed.success || seen.has(parsed.data.externalId)) continue;
    seen.add(parsed.data.externalId);
    out.push(parsed.data as TPlanEntry);
  }
  return out;
}

/** JSON with object keys sorted: the stored plan went through jsonb, which does not keep key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

const show = (v: unknown) => (v === null || v === undefined || v === "" ? "(empty)" : typeof v === "string" ? `"${v.length > 60 ? `${v.slice(0, 57)}…` : v}"` : canonical(v));

/**
 * How what a run would do now differs from what the plan showed for the same document, in words; null when
 * it is the same (same action, same fields with the same values before and after, same systems after).
 */
export function planDifference(planned: TPlanEntry, now: TPlanEntry): string | null {
  if (planned.action !== now.action) return `it would now be a ${now.action}, the plan showed a ${planned.action}`;
  const keys = [...new Set([...Object.keys(planned.fields), ...Object.keys(now.fields)])].sort();
  for (const k of keys) {
    const p = planned.fields[k];
    const n = now.fields[k];
    if (!p) return `${k} would now change too (${show(n!.before)} → ${show(n!.after)})`;
    if (!n) return `${k} would no longer change`;
    if (canonical(p.before) !== canonical(n.before) || canonical(p.after) !== canonical(n.after)) {
      return `${k} would now go ${show(n.before)} → ${show(n.after)}, the plan showed ${show(p.before)} → ${show(p.after)}`;
    }
  }
  if (canonical([...planned.targets].sort()) !== canonical([...now.targets].sort())) return "it would now be sent to other systems";
  return null;
}
