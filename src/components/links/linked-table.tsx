import Link from "next/link";
import type { TLinkedPage } from "~/server/services/linking/list-links";
import { DateTime } from "../date-time";
import { linkClass } from "../styles";
import { TableRegion, tdClass, thClass } from "../table-region";
import { LinkToIdForm } from "./link-to-id-form";
import { UnlinkButton } from "./unlink-button";

const ORIGINS: Record<string, string> = { sync: "by a sync", "natural-key": "same key", manual: "by hand", "id-field": "stored id" };

/** The records linked in one system, with (for admins) unlink and relink. */
export function LinkedTable({ data, system, systemName, canEdit }: { data: TLinkedPage; system: string; systemName: string; canEdit: boolean }) {
  return (
    <TableRegion label={`Records linked in ${systemName}`}>
      <table className="min-w-full divide-y divide-zinc-200">
        <thead className="bg-zinc-50">
          <tr>
            <th scope="col" className={thClass}>Record</th>
            <th scope="col" className={thClass}>{systemName} id</th>
            <th scope="col" className={thClass}>Linked</th>
            {canEdit ? <th scope="col" className={thClass}>Actions</th> : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {data.items.map((r) => {
            const label = r.name ?? r.naturalKey;
            return (
              <tr key={r.recordId}>
                <th scope="row" className={`${tdClass} min-w-[10rem] text-left font-medium [overflow-wrap:anywhere]`}>
                  <Link href={`/records/${r.recordId}`} className={linkClass}>{label}</Link>
                  <span className="block font-mono text-xs font-normal text-zinc-500">{r.naturalKey}</span>
                </th>
                <td className={`${tdClass} font-mono text-xs [overflow-wrap:anywhere]`}>{r.externalId}</td>
                <td className={`${tdClass} text-xs`}>
                  {ORIGINS[r.origin] ?? r.origin}
                  <span className="block text-zinc-500"><DateTime value={r.createdAt} /></span>
                </td>
                {canEdit ? (
                  <td className={tdClass}>
                    <div className="flex flex-col gap-2">
                      <UnlinkButton recordId={r.recordId} system={system} systemName={systemName} label={label} />
                      <LinkToIdForm recordId={r.recordId} system={system} systemName={systemName} label={label} mode="relink" />
                    </div>
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableRegion>
  );
}
