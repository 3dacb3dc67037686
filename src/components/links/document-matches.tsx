"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { TDocumentMatch } from "~/server/services/linking/match-systems";
import { useTRPC } from "~/trpc/react";
import { describeError } from "../form-errors";
import { primaryButtonClass, secondaryButtonClass } from "../styles";
import { TableRegion, tdClass, thClass } from "../table-region";
import { CandidateLabel } from "./candidate-label";

type TPair = { from: string; to: string; label: string };

/**
 * Matching before any run: each unlinked document of one system beside the unlinked documents of another that
 * are probably the same thing. Linking a pair makes one Concord record linked in both; nothing is created.
 */
export function DocumentMatches({ entity, system, from, systemName, fromName, matches, canLink }: { entity: string; system: string; from: string; systemName: string; fromName: string; matches: TDocumentMatch[]; canLink: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [done, setDone] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const link = useMutation(trpc.links.linkDocuments.mutationOptions());
  const exact: TPair[] = matches.filter((m) => m.candidates[0]?.score === 1).map((m) => ({ from: m.candidates[0]!.externalId, to: m.externalId, label: m.name ?? m.externalId }));

  async function linkPairs(pairs: TPair[]) {
    setBusy(true);
    for (const p of pairs) {
      try {
        const r = await link.mutateAsync({ entity, from: { system: from, externalId: p.from }, to: { system, externalId: p.to } });
        setDone((d) => [...d, `${p.label}${r.conflicts.length ? ` (its ${r.conflicts.map((c) => c.field).join(", ")} differs: decide it on the Conflicts page)` : ""}`]);
      } catch (err) {
        setErrors((e) => ({ ...e, [p.to]: describeError(err as { message: string }).message ?? "Not linked." }));
      }
    }
    setBusy(false);
    router.refresh();
  }

  return (
    <div className="space-y-3">
      {canLink && exact.length ? (
        <button type="button" disabled={busy} onClick={() => void linkPairs(exact)} className={primaryButtonClass}>
          {busy ? "Linking…" : `Link all ${exact.length} with the same key`}
        </button>
      ) : null}
      {done.length ? <p role="status" className="text-sm text-green-800">Linked: {done.join("; ")}.</p> : null}
      <TableRegion label={`Matches between ${systemName} and ${fromName}`}>
        <table className="min-w-full divide-y divide-zinc-200">
          <thead className="bg-zinc-50">
            <tr>
              <th scope="col" className={thClass}>In {systemName}</th>
              <th scope="col" className={thClass}>Probably the same in {fromName}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {matches.map((m) => (
              <tr key={m.externalId} data-testid="document-match">
                <th scope="row" className={`${tdClass} min-w-[11rem] text-left font-medium [overflow-wrap:anywhere]`}>
                  {m.name ?? "(no name)"}
                  <span className="block text-xs font-normal text-zinc-500">{m.naturalKey ? <>key <span className="font-mono">{m.naturalKey}</span> · </> : null}id <span className="font-mono">{m.externalId}</span></span>
                  {errors[m.externalId] ? <span role="alert" className="mt-1 block text-xs font-normal text-red-700 [overflow-wrap:anywhere]">{errors[m.externalId]}</span> : null}
                </th>
                <td className={`${tdClass} min-w-[18rem]`}>
                  <ol className="space-y-2">
                    {m.candidates.map((c) => (
                      <li key={c.externalId} className="flex flex-wrap items-center justify-between gap-2">
                        <CandidateLabel name={c.name} naturalKey={c.naturalKey} score={c.score} reason={c.reason} />
                        {canLink ? (
                          <button type="button" disabled={busy} onClick={() => void linkPairs([{ from: c.externalId, to: m.externalId, label: m.name ?? m.externalId }])} aria-label={`Link ${m.name ?? m.externalId} with ${c.name ?? c.externalId}`} className={`${secondaryButtonClass} py-1`}>
                            Link
                          </button>
                        ) : null}
                      </li>
                    ))}
                  </ol>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
    </div>
  );
}
