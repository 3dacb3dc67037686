"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { describeError } from "../form-errors";
import { linkClass, primaryButtonClass, secondaryButtonClass } from "../styles";

export interface TPossibleDuplicateItem {
  id: string;
  recordId: string;
  recordName: string | null;
  recordKey: string;
  externalId: string;
  externalName: string | null;
  externalKey: string | null;
  score: number;
  reason: string;
  error: string | null;
}

type TDecision = "link" | "create" | "skip";
const VERB: Record<TDecision, [string, string]> = { link: ["Link", "Linking…"], create: ["Create anyway", "Creating…"], skip: ["Skip", "Skipping…"] };

/**
 * Creates a full run held back because the target already holds a resembling, unlinked document: for each,
 * link the two, create anyway or skip — one by one or the selected ones together — with an outcome per item.
 */
export function PossibleDuplicates({ items, systemName, canDecide }: { items: TPossibleDuplicateItem[]; systemName: string; canDecide: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const decide = useMutation(trpc.duplicates.decide.mutationOptions({ onSuccess: () => setChosen(new Set()), onSettled: () => router.refresh() }));
  const run = (ids: string[], decision: TDecision) => decide.mutate({ ids, decision });
  const pending = decide.isPending ? decide.variables : null;
  const toggle = (id: string, on: boolean) =>
    setChosen((c) => {
      const next = new Set(c);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const message = describeError(decide.error).message;
  const selected = [...chosen].filter((id) => items.some((i) => i.id === id));
  return (
    <div className="space-y-3">
      {canDecide ? (
        <div className="flex flex-wrap items-center gap-2">
          {(["link", "create", "skip"] as const).map((d) => (
            <button key={d} type="button" disabled={selected.length === 0 || decide.isPending} onClick={() => run(selected, d)} className={d === "link" ? primaryButtonClass : secondaryButtonClass}>
              {`${VERB[d][0]} selected (${selected.length})`}
            </button>
          ))}
        </div>
      ) : null}
      {message ? <p role="alert" className="text-sm text-red-700 [overflow-wrap:anywhere]">{message}</p> : null}
      {decide.data ? (
        <ul role="status" className="space-y-1 text-sm" data-testid="duplicates-outcome">
          {decide.data.items.map((o) => (
            <li key={o.id} className={o.ok ? "text-green-800" : "text-red-700 [overflow-wrap:anywhere]"}>{o.message}</li>
          ))}
        </ul>
      ) : null}
      <div className="overflow-x-auto rounded-md border border-zinc-200">
        <table className="min-w-full divide-y divide-zinc-200 text-sm">
          <caption className="sr-only">Possible duplicates held for review</caption>
          <thead className="bg-zinc-50 text-left text-xs font-semibold uppercase tracking-wide text-zinc-600">
            <tr>
              {canDecide ? <th scope="col" className="w-8 px-3 py-2"><span className="sr-only">Select</span></th> : null}
              <th scope="col" className="px-3 py-2">Concord would create</th>
              <th scope="col" className="px-3 py-2">Resembles in {systemName}</th>
              <th scope="col" className="px-3 py-2">Match</th>
              {canDecide ? <th scope="col" className="px-3 py-2">Decide</th> : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 bg-white">
            {items.map((i) => (
              <tr key={i.id} data-testid="possible-duplicate">
                {canDecide ? (
                  <td className="px-3 py-2">
                    <input type="checkbox" checked={chosen.has(i.id)} onChange={(e) => toggle(i.id, e.target.checked)} aria-label={`Select ${i.recordName ?? i.recordKey}`} className="h-4 w-4 rounded border-zinc-400 text-indigo-700" />
                  </td>
                ) : null}
                <td className="px-3 py-2">
                  <Link href={`/records/${i.recordId}`} className={linkClass}>{i.recordName ?? i.recordKey}</Link>
                  <div className="font-mono text-xs text-zinc-600">{i.recordKey}</div>
                </td>
                <td className="px-3 py-2">
                  <div className="font-medium text-zinc-900">{i.externalName ?? "(no name)"}</div>
                  <div className="font-mono text-xs text-zinc-600">{i.externalKey ?? ""} · id {i.externalId}</div>
                </td>
                <td className="px-3 py-2 text-zinc-700">
                  {i.score.toFixed(2)} · {i.reason}
                  {i.error ? <p className="mt-1 max-w-xs text-xs text-red-700 [overflow-wrap:anywhere]">{i.error}</p> : null}
                </td>
                {canDecide ? (
                  <td className="px-3 py-2">
                    <div className="flex flex-wrap gap-1">
                      {(["link", "create", "skip"] as const).map((d) => {
                        const busy = pending?.decision === d && pending.ids.includes(i.id);
                        return (
                          <button key={d} type="button" disabled={decide.isPending} onClick={() => run([i.id], d)} aria-label={`${VERB[d][0]}: ${i.recordName ?? i.recordKey}`} className={`${secondaryButtonClass} py-1`}>
                            {busy ? VERB[d][1] : VERB[d][0]}
                          </button>
                        );
                      })}
                    </div>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
