import type { TLinkSuggestion } from "~/server/services/linking/suggest-links";
import { TableRegion, tdClass, thClass } from "../table-region";
import { SelectPair } from "./accept-selected";
import { LinkButton } from "./link-button";
import { CandidateLabel } from "./candidate-label";

/** Each unlinked document of the system with the Concord records most likely to be the same thing, best first. */
export function SuggestionsTable({ suggestions, canLink }: { suggestions: TLinkSuggestion[]; canLink: boolean }) {
  return (
    <TableRegion label="Link suggestions">
      <table className="min-w-full divide-y divide-zinc-200">
        <thead className="bg-zinc-50">
          <tr>
            <th scope="col" className={thClass}>Document in the system</th>
            <th scope="col" className={thClass}>Likely the same Concord record</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {suggestions.map((s) => (
            <tr key={s.externalId}>
              <th scope="row" className={`${tdClass} min-w-[11rem] text-left font-medium [overflow-wrap:anywhere]`}>
                {s.name ?? "(no name)"}
                <span className="block text-xs font-normal text-zinc-500">
                  {s.naturalKey ? <>key <span className="font-mono">{s.naturalKey}</span> · </> : null}id <span className="font-mono">{s.externalId}</span>
                </span>
              </th>
              <td className={`${tdClass} min-w-[18rem]`}>
                <ol className="space-y-2">
                  {s.candidates.map((c) => (
                    <li key={c.recordId} className="flex flex-wrap items-center justify-between gap-2">
                      <div className="flex min-w-0 items-start gap-2">
                        {canLink ? <SelectPair externalId={s.externalId} recordId={c.recordId} label={`${s.name ?? s.externalId} with ${c.name ?? c.naturalKey}`} /> : null}
                        <CandidateLabel name={c.name} naturalKey={c.naturalKey} score={c.score} reason={c.reason} />
                      </div>
                      {canLink ? <LinkButton recordId={c.recordId} system={s.system} externalId={s.externalId} label={`${s.name ?? s.externalId} to ${c.name ?? c.naturalKey}`} /> : null}
                    </li>
                  ))}
                </ol>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
