import type { TUnlinkedPage } from "~/server/services/linking/list-unlinked";
import { TableRegion, tdClass, thClass } from "../table-region";
import { LinkToIdForm } from "./link-to-id-form";

const none = <span className="text-zinc-400">—</span>;

interface Props {
  data: TUnlinkedPage;
  systemName: string;
  systemNames: Record<string, string>;
  /** Admins may link a record to a document by its id (for pairs no suggestion offers). */
  canLink: boolean;
}

/** Both directions: the system's documents no record is linked to, and Concord's records missing from the system. */
export function UnlinkedTables({ data, systemName, systemNames, canLink }: Props) {
  // One list of every unlinked document for all the rows' pickers (not only this page's documents).
  const choicesId = `unlinked-${data.system}-choices`;
  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
      {canLink && data.choices.items.length ? (
        <datalist id={choicesId}>
          {data.choices.items.map((c) => (
            <option key={c.externalId} value={c.externalId} label={`${c.name ?? "(no name)"}${c.naturalKey ? ` · ${c.naturalKey}` : ""}`} />
          ))}
        </datalist>
      ) : null}
      <section aria-labelledby="unlinked-docs-title" className="min-w-0">
        <h3 id="unlinked-docs-title" className="mb-2 text-sm font-semibold text-zinc-900">
          In {systemName}, not linked ({data.documents.total})
        </h3>
        {data.documents.items.length ? (
          <TableRegion label={`Documents in ${systemName} not linked`}>
            <table className="min-w-full divide-y divide-zinc-200">
              <thead className="bg-zinc-50">
                <tr>
                  <th scope="col" className={thClass}>Name</th>
                  <th scope="col" className={thClass}>Key</th>
                  <th scope="col" className={thClass}>Id</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {data.documents.items.map((d) => (
                  <tr key={d.externalId}>
                    <td className={`${tdClass} [overflow-wrap:anywhere]`}>{d.name ?? none}</td>
                    <td className={`${tdClass} font-mono text-xs`}>{d.naturalKey ?? none}</td>
                    <td className={`${tdClass} font-mono text-xs [overflow-wrap:anywhere]`}>{d.externalId}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        ) : (
          <p className="text-sm text-zinc-600">{data.documents.total ? "None on this page." : `Every document in ${systemName} is linked to a record.`}</p>
        )}
      </section>
      <section aria-labelledby="unlinked-records-title" className="min-w-0">
        <h3 id="unlinked-records-title" className="mb-2 text-sm font-semibold text-zinc-900">
          In Concord, not in {systemName} ({data.records.total})
        </h3>
        {data.records.items.length ? (
          <TableRegion label={`Concord records not linked in ${systemName}`}>
            <table className="min-w-full divide-y divide-zinc-200">
              <thead className="bg-zinc-50">
                <tr>
                  <th scope="col" className={thClass}>Name</th>
                  <th scope="col" className={thClass}>Key</th>
                  <th scope="col" className={thClass}>Linked in</th>
                  {canLink ? <th scope="col" className={thClass}>Link</th> : null}
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {data.records.items.map((r) => (
                  <tr key={r.recordId}>
                    <td className={`${tdClass} [overflow-wrap:anywhere]`}>{r.name ?? none}</td>
                    <td className={`${tdClass} font-mono text-xs`}>{r.naturalKey}</td>
                    <td className={tdClass}>{r.linkedIn.length ? r.linkedIn.map((s) => systemNames[s] ?? s).join(", ") : none}</td>
                    {canLink ? (
                      <td className={tdClass}>
                        <LinkToIdForm recordId={r.recordId} system={data.system} systemName={systemName} label={r.name ?? r.naturalKey} mode="link" listId={data.choices.items.length ? choicesId : undefined} />
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        ) : (
          <p className="text-sm text-zinc-600">{data.records.total ? "None on this page." : `Every live record is linked in ${systemName}.`}</p>
        )}
      </section>
    </div>
  );
}
