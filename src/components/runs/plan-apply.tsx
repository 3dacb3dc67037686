"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { TPlanEntry } from "~/server/services/runs/plan-page";
import { useTRPC } from "~/trpc/react";
import { describeError } from "../form-errors";
import { primaryButtonClass, secondaryButtonClass } from "../styles";
import { RunPlanTable } from "./run-plan-table";

interface Props {
  runId: string;
  /** This page of the plan. */
  entries: TPlanEntry[];
  /** Records in the whole plan. */
  total: number;
  /** External ids a run already applied. */
  applied: string[];
  systemNames: Record<string, string>;
  /** The system the dry run read. */
  sourceName: string;
}

/** A dry run's plan with checkboxes: apply the checked records, or the whole plan, for real (admins). */
export function PlanApply({ runId, entries, total, applied, systemNames, sourceName }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [asking, setAsking] = useState<"selected" | "all" | null>(null);
  const question = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (asking) question.current?.focus();
  }, [asking]);
  const apply = useMutation(trpc.runs.applyPlan.mutationOptions({ onSuccess: (run) => router.push(`/runs/${run.id}`) }));
  const message = describeError(apply.error).message;
  const done = new Set(applied);
  const open = entries.filter((e) => !done.has(e.externalId)).map((e) => e.externalId);
  const chosen = open.filter((id) => selected.has(id));
  const count = asking === "all" ? total : chosen.length;
  const records = (n: number) => `${n} ${n === 1 ? "record" : "records"}`;

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const toggleAll = () => setSelected((s) => (open.every((id) => s.has(id)) ? new Set() : new Set(open)));
  const busy = apply.isPending || apply.isSuccess;

  return (
    <div className="space-y-3">
      {!asking ? (
        <div className="flex flex-wrap items-center gap-3" role="group" aria-label="Apply the plan">
          <button type="button" disabled={chosen.length === 0 || busy} onClick={() => { apply.reset(); setAsking("selected"); }} className={primaryButtonClass}>
            Apply selected ({chosen.length})
          </button>
          <button type="button" disabled={busy} onClick={() => { apply.reset(); setAsking("all"); }} className={secondaryButtonClass}>
            Apply all {total}…
          </button>
          <span className="text-sm text-zinc-500">Check records to apply only those. Nothing else is read or changed.</span>
        </div>
      ) : (
        <div ref={question} tabIndex={-1} role="group" aria-labelledby="apply-plan-question" className="rounded-lg border-2 border-amber-400 bg-amber-50 p-3 focus:outline-none focus-visible:ring-2 focus-visible:ring-amber-500">
          <p id="apply-plan-question" className="text-sm text-amber-900">
            Apply the plan for {asking === "all" ? `all ${records(count)}` : records(count)} from {sourceName}? Concord reads each again and applies it only if it still
            matches the plan; one that changed since is reported and left as it is.
          </p>
          <div className="mt-2 flex flex-wrap gap-3">
            <button type="button" disabled={busy} onClick={() => apply.mutate(asking === "all" ? { runId, all: true } : { runId, externalIds: chosen })} className={primaryButtonClass}>
              {busy ? "Starting…" : `Yes, apply ${count}`}
            </button>
            <button type="button" disabled={busy} onClick={() => setAsking(null)} className={secondaryButtonClass}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {message ? <p role="alert" className="text-sm text-red-700">{message}</p> : null}
      <RunPlanTable entries={entries} systemNames={systemNames} applied={done} selection={{ selected, toggle, toggleAll }} />
    </div>
  );
}
