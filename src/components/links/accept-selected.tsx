"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { createContext, useContext, useState, type ReactNode } from "react";
import { useTRPC } from "~/trpc/react";
import { describeError } from "../form-errors";
import { primaryButtonClass } from "../styles";

/** externalId → the record chosen for it (one candidate per document). */
type TChoice = Map<string, string>;
const Choice = createContext<{ chosen: TChoice; choose: (externalId: string, recordId: string | null) => void } | null>(null);

/** The checkbox beside one suggested pair; choosing another candidate for the same document replaces it. */
export function SelectPair({ externalId, recordId, label }: { externalId: string; recordId: string; label: string }) {
  const ctx = useContext(Choice);
  if (!ctx) return null;
  return (
    <input
      type="checkbox"
      checked={ctx.chosen.get(externalId) === recordId}
      onChange={(e) => ctx.choose(externalId, e.target.checked ? recordId : null)}
      aria-label={`Select ${label}`}
      className="h-4 w-4 rounded border-zinc-400 text-indigo-700 focus:ring-indigo-600"
    />
  );
}

/** Accepts the chosen suggestions in one go (each its own link and audit row), with an outcome per pair. */
export function AcceptSelected({ system, children }: { system: string; children: ReactNode }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [chosen, setChosen] = useState<TChoice>(new Map());
  const accept = useMutation(trpc.links.acceptSuggestions.mutationOptions({ onSuccess: () => setChosen(new Map()), onSettled: () => router.refresh() }));
  const choose = (externalId: string, recordId: string | null) =>
    setChosen((c) => {
      const next = new Map(c);
      if (recordId) next.set(externalId, recordId);
      else next.delete(externalId);
      return next;
    });
  const items = [...chosen].map(([externalId, recordId]) => ({ recordId, system, externalId }));
  const message = describeError(accept.error).message;
  const refused = accept.data?.items.filter((i) => !i.ok) ?? [];
  return (
    <Choice.Provider value={{ chosen, choose }}>
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" disabled={items.length === 0 || accept.isPending} onClick={() => accept.mutate({ items })} className={primaryButtonClass}>
          {accept.isPending ? "Linking…" : `Link selected (${items.length})`}
        </button>
        {message ? <p role="alert" className="text-sm text-red-700">{message}</p> : null}
        {accept.data ? (
          <p role="status" className="text-sm text-green-800">
            Linked {accept.data.linked}
            {refused.length ? `; refused: ${refused.slice(0, 5).map((r) => `${r.externalId} (${r.error?.message})`).join("; ")}` : "."}
          </p>
        ) : null}
      </div>
      {children}
    </Choice.Provider>
  );
}
