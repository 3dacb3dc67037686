"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { useTRPC } from "~/trpc/react";
import { describeError } from "../form-errors";
import { primaryButtonClass, secondaryButtonClass } from "../styles";

type TMutate = (input: { checkId: string; recordIds: string[] } | { checkId: string; all: true; expectedCount: number }) => void;
const Agree = createContext<{ selected: Set<string>; toggle: (id: string, on: boolean) => void; mutate: TMutate; pending: boolean; checkId: string } | null>(null);

/** The checkbox beside a drifted record. */
export function SelectDriftRecord({ recordId, label }: { recordId: string; label: string }) {
  const ctx = useContext(Agree);
  if (!ctx) return null;
  return <input type="checkbox" checked={ctx.selected.has(recordId)} onChange={(e) => ctx.toggle(recordId, e.target.checked)} aria-label={`Select ${label}`} className="h-4 w-4 rounded border-zinc-400 text-indigo-700 focus:ring-indigo-600" />;
}

/** "Make them agree" for one record: Concord's values go to every system where it drifted. */
export function AgreeRecordButton({ recordId, label }: { recordId: string; label: string }) {
  const ctx = useContext(Agree);
  if (!ctx) return null;
  return (
    <button type="button" disabled={ctx.pending} onClick={() => ctx.mutate({ checkId: ctx.checkId, recordIds: [recordId] })} aria-label={`Make ${label} agree`} className={`${secondaryButtonClass} py-1`}>
      Make them agree
    </button>
  );
}

interface Props {
  checkId: string;
  visibleIds: string[];
  /** Records with open drift in the whole check, when the page was rendered: the server checks it is still so. */
  openRecords: number;
  children: ReactNode;
}

/** Selection and the bulk bar: make the selected records agree, or all with open drift in the check after confirming the count. */
export function MakeAgree({ checkId, visibleIds, openRecords, children }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [asking, setAsking] = useState<number | null>(null);
  const question = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (asking !== null) question.current?.focus();
  }, [asking]);
  const agree = useMutation(trpc.drift.makeAgree.mutationOptions({ onSuccess: () => { setAsking(null); setSelected(new Set()); }, onSettled: () => router.refresh() }));
  const chosen = visibleIds.filter((id) => selected.has(id));
  const toggle = (id: string, on: boolean) => setSelected((s) => { const next = new Set(s); if (on) next.add(id); else next.delete(id); return next; });
  const message = describeError(agree.error).message;
  const mutate: TMutate = (input) => { agree.reset(); agree.mutate(input); };

  return (
    <Agree.Provider value={{ selected, toggle, mutate, pending: agree.isPending, checkId }}>
      {/* Stays mounted while the page refreshes, so the outcome is still shown once nothing is left to fix. */}
      {openRecords > 0 || agree.data || agree.error ? (
        <section aria-label="Make them agree" className="mb-4 space-y-3 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm">
          <p className="text-sm text-zinc-600">Concord&apos;s value wins: each differing field is sent again to the system that drifted.</p>
          <div className="flex flex-wrap gap-3">
            <button type="button" disabled={chosen.length === 0 || agree.isPending} onClick={() => mutate({ checkId, recordIds: chosen })} className={secondaryButtonClass}>
              Make selected agree ({chosen.length})
            </button>
            <button type="button" disabled={openRecords === 0 || agree.isPending} onClick={() => { agree.reset(); setAsking(openRecords); }} className={secondaryButtonClass}>
              Make all {openRecords} agree…
            </button>
          </div>
          {asking !== null ? (
            <div ref={question} tabIndex={-1} role="group" aria-labelledby="agree-question" onKeyDown={(e) => e.key === "Escape" && !agree.isPending && setAsking(null)} className="rounded-lg border-2 border-amber-400 bg-amber-50 p-3 focus:outline-none focus-visible:ring-2 focus-visible:ring-amber-500">
              <p id="agree-question" className="text-sm text-amber-900">
                Send Concord&apos;s values to every system where these {asking} {asking === 1 ? "record differs" : "records differ"}? What those systems hold in these fields is overwritten.
              </p>
              <div className="mt-2 flex flex-wrap gap-3">
                <button type="button" disabled={agree.isPending} onClick={() => agree.mutate({ checkId, all: true, expectedCount: asking })} className={primaryButtonClass}>
                  {agree.isPending ? "Queuing…" : `Yes, make ${asking} agree`}
                </button>
                <button type="button" disabled={agree.isPending} onClick={() => setAsking(null)} className={secondaryButtonClass}>Cancel</button>
              </div>
            </div>
          ) : null}
          {message ? <p role="alert" className="text-sm text-red-700">{message}</p> : null}
          {agree.data ? (
            <p role="status" className="text-sm text-green-800">
              Queued {agree.data.deliveries} {agree.data.deliveries === 1 ? "write" : "writes"} for {agree.data.records} {agree.data.records === 1 ? "record" : "records"}; {agree.data.fixed} {agree.data.fixed === 1 ? "field" : "fields"} marked fixed
              {agree.data.skipped ? `, ${agree.data.skipped} left open (record gone, link moved, or held by a conflict)` : ""}. Check again once the deliveries land.
            </p>
          ) : null}
        </section>
      ) : null}
      {children}
    </Agree.Provider>
  );
}
