import type { TSystemColumn } from "~/server/services/records/get-record-detail";
import { DateTime } from "../date-time";
import { TableRegion, tdClass, thClass } from "../table-region";

const ORIGIN: Record<string, string> = {
  sync: "Concord (sync)",
  "natural-key": "same natural key",
  manual: "an admin, by hand",
  "id-field": "a stored id",
};

/** Where the record lives: its id in each system, how the link was made and when Concord last agreed with it. */
export function LinksTable({ systems, systemNames }: { systems: TSystemColumn[]; systemNames: Record<string, string> }) {
  return (
    <TableRegion label="Links">
      <table className="min-w-full divide-y divide-zinc-200">
        <thead className="bg-zinc-50">
          <tr>
            <th scope="col" className={thClass}>System</th>
            <th scope="col" className={thClass}>Id there</th>
            <th scope="col" className={thClass}>Linked by</th>
            <th scope="col" className={thClass}>Linked</th>
            <th scope="col" className={thClass}>Last synced</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {systems.map((s) => (
            <tr key={s.system} data-link={s.system}>
              <th scope="row" className={`${tdClass} text-left font-medium`}>{systemNames[s.system] ?? s.name}</th>
              {s.link ? (
                <>
                  <td className={`${tdClass} font-mono text-xs [overflow-wrap:anywhere]`}>
                    {s.link.externalId}
                    {s.link.removed ? <span className="mt-1 block font-sans text-xs text-red-700">deleted there</span> : null}
                  </td>
                  <td className={tdClass}>{ORIGIN[s.link.origin] ?? s.link.origin}</td>
                  <td className={`${tdClass} text-zinc-600`}><DateTime value={s.link.createdAt} /></td>
                  <td className={`${tdClass} text-zinc-600`}>{s.link.lastSyncedAt ? <DateTime value={s.link.lastSyncedAt} /> : "never"}</td>
                </>
              ) : (
                <td className={`${tdClass} text-zinc-500`} colSpan={4}>Not linked: this system does not hold the record (yet).</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
