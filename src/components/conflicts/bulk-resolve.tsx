"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { useTRPC } from "~/trpc/react";
import { describeError } from "../form-errors";
import { labelClass, primaryButtonClass, secondaryButtonClass, selectClass } from "../styles";

type TPolicy = "theirs" | "ours" | "newest" | "priority";
const POLICIES: { value: TPolicy; label: string; says: string }[] = [
  { value: "theirs", label: "Keep the value of the system that raised each", says: "keeping the value of the system that raised each conflict" },
  { value: "ours", label: "Keep the value Concord held", says: "keeping the value Concord held (the other system's)" },
  { value: "newest", label: "Keep the newest change", says: "keeping whichever side changed last" },
  { value: "priority", label: "Keep the higher-priority system", says: "keeping the side of the system ranked first for the entity (the newest change on a tie)" },
];

const Selection = createContext<{ selected: Set<string>; toggle: (id: string, on: boolean) => void } | null>(null);

/** The checkbox on one conflict's card. */
export function SelectConflict({ id, label }: { id: string; label: string }) {
  const ctx = useContext(Selection);
  if (!ctx) return null;
  return (
    <label className="inline-flex items-center gap-2 text-sm text-zinc-700">
      <input type="checkbox" checked={ctx.selected.has(id)} onChange={(e) => ctx.toggle(id, e.target.checked)} aria-label={`Select ${label}`} className="h-4 w-4 rounded border-zinc-400 text-indigo-700 focus:ring-indigo-600" />
      Select
    </label>
  );
}

interface Props {
  /** Conflicts shown on this page, in order. */
  visibleIds: string[];
  /** Every open conflict matching the filter (all pages), and the filter itself. */
  total: number;
  filter: { entity?: string; system?: string };
  /** "of industry, involving the CMS", for the question. */
  scope: string;
  children: ReactNode;
}

/** Selects conflicts (or takes all matching the filter) and resolves them by one policy after the admin confirms the count. */
export function BulkResolve({ visibleIds, total, filter, scope, children }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [policy, setPolicy] = useState<TPolicy>("newest");
  const [asking, setAsking] = useState<{ mode: "selected"; ids: string[] } | { mode: "all"; count: number } | null>(null);
  const question = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (asking) question.current?.focus();
  }, [asking]);
  const resolve = useMutation(
    trpc.conflicts.resolveMany.mutationOptions({
      onSuccess: () => {
        setAsking(null);
        setSelected(new Set());
      },
      onSettled: () => router.refresh(),
    }),
  );
  const chosen = visibleIds.filter((id) => selected.has(id));
  const allOnPage = visibleIds.length > 0 && chosen.length === visibleIds.length;
  const toggle = (id: string, on: boolean) => setSelected((s) => { const next = new Set(s); if (on) next.add(id); else next.delete(id); return next; });
  const count = asking ? (asking.mode === "all" ? asking.count : asking.ids.length) : 0;
  const says = POLICIES.find((p) => p.value === policy)!.says;
  const message = describeError(resolve.error).message;

  return (
    <Selection.Provider value={{ selected, toggle }}>
      {/* Stays mounted while the page refreshes, so the outcome is still shown once nothing is left open. */}
      {total > 0 || resolve.data || resolve.error ? (
        <section aria-label="Resolve many" className="mb-4 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm">
          <div className="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-end">
            <label className="inline-flex items-center gap-2 text-sm text-zinc-700 sm:mb-2">
              <input type="checkbox" checked={allOnPage} onChange={(e) => setSelected(e.target.checked ? new Set(visibleIds) : new Set())} className="h-4 w-4 rounded border-zinc-400 text-indigo-700 focus:ring-indigo-600" />
              Select all on this page
            </label>
            <div>
              <label htmlFor="bulk-policy" className={labelClass}>Policy</label>
              <select id="bulk-policy" value={policy} onChange={(e) => setPolicy(e.target.value as TPolicy)} className={`${selectClass} mt-1 w-full sm:w-72`}>
                {POLICIES.map((p) => <option key={p.value} value={p.value}>{p.label}</option>)}
              </select>
            </div>
            <button type="button" disabled={chosen.length === 0 || resolve.isPending} onClick={() => { resolve.reset(); setAsking({ mode: "selected", ids: chosen }); }} className={secondaryButtonClass}>
              Resolve selected ({chosen.length})…
            </button>
            <button type="button" disabled={total === 0 || resolve.isPending} onClick={() => { resolve.reset(); setAsking({ mode: "all", count: total }); }} className={secondaryButtonClass}>
              Resolve all {total} matching…
            </button>
          </div>
          {asking ? (
            <div ref={question} tabIndex={-1} role="group" aria-labelledby="bulk-question" onKeyDown={(e) => e.key === "Escape" && !resolve.isPending && setAsking(null)} className="mt-3 rounded-lg border-2 border-amber-400 bg-amber-50 p-3 focus:outline-none focus-visible:ring-2 focus-visible:ring-amber-500">
              <p id="bulk-question" className="text-sm text-amber-900">
                Resolve {count} {count === 1 ? "conflict" : "conflicts"}{asking.mode === "all" && scope ? ` ${scope}` : ""} {says}? Each chosen value becomes Concord&apos;s and is sent to every system that carries the field.
              </p>
              <div className="mt-2 flex flex-wrap gap-3">
                <button type="button" disabled={resolve.isPending} onClick={() => resolve.mutate(asking.mode === "all" ? { filter, expectedCount: asking.count, policy } : { ids: asking.ids, policy })} className={primaryButtonClass}>
                  {resolve.isPending ? "Resolving…" : `Yes, resolve ${count}`}
                </button>
                <button type="button" disabled={resolve.isPending} onClick={() => setAsking(null)} className={secondaryButtonClass}>
                  Cancel
                </button>
              </div>
            </div>
          ) : null}
          {message ? <p role="alert" className="mt-3 text-sm text-red-700">{message}</p> : null}
          {resolve.data ? (
            <div role="status" className="mt-3 text-sm">
              <p className="text-green-800">
                Resolved {resolve.data.resolved}
                {resolve.data.skipped ? `; ${resolve.data.skipped} skipped (already settled)` : ""}
                {resolve.data.refused.length ? `; ${resolve.data.refused.length} refused:` : "."}
              </p>
              {resolve.data.refused.length ? (
                <ul className="mt-1 list-disc pl-5 text-red-800">
                  {resolve.data.refused.slice(0, 10).map((r) => <li key={r.conflictId}>{r.field}: {r.message}</li>)}
                </ul>
              ) : null}
            </div>
          ) : null}
        </section>
      ) : null}
      {children}
    </Selection.Provider>
  );
}
