import Link from "next/link";
import type { z } from "zod";
import type { ZRecordListItem } from "~/server/services/records/list-records";
import { DateTime } from "../date-time";
import { TableRegion, tdClass, thClass } from "../table-region";

type TItem = z.infer<typeof ZRecordListItem>;

/** One row per record: its name linking to its page, natural key, where it lives, version and state. */
export function RecordsTable({ items, naturalKey, systemNames, label }: { items: TItem[]; naturalKey: string; systemNames: Record<string, string>; label: string }) {
  return (
    <TableRegion label={label}>
      <table className="min-w-full divide-y divide-zinc-200">
        <thead className="bg-zinc-50">
          <tr>
            <th scope="col" className={thClass}>Record</th>
            <th scope="col" className={thClass}>{naturalKey}</th>
            <th scope="col" className={thClass}>Held by</th>
            <th scope="col" className={thClass}>Version</th>
            <th scope="col" className={thClass}>Updated</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {items.map((r) => (
            <tr key={r.id} data-record={r.id}>
              <td className={`${tdClass} min-w-[10rem]`}>
                <Link href={`/records/${r.id}`} className="font-medium text-indigo-700 underline-offset-4 hover:underline [overflow-wrap:anywhere]">
                  {r.label}
                </Link>
                {r.deleted ? (
                  <span className="mt-1 block">
                    <span className="inline-flex rounded-full bg-red-100 px-2 py-0.5 text-xs font-medium text-red-800">deleted</span>
                  </span>
                ) : null}
              </td>
              <td className={`${tdClass} font-mono text-xs [overflow-wrap:anywhere]`}>{r.naturalKey}</td>
              <td className={`${tdClass} min-w-[8rem]`}>
                {r.systems.length ? r.systems.map((s) => systemNames[s] ?? s).join(", ") : <span className="text-zinc-500">No system</span>}
              </td>
              <td className={`${tdClass} tabular-nums`}>{r.version}</td>
              <td className={`${tdClass} text-zinc-600`}>
                {r.deletedAt ? (
                  <>
                    <span className="block text-xs text-zinc-500">deleted</span>
                    <DateTime value={r.deletedAt} />
                  </>
                ) : (
                  <DateTime value={r.updatedAt} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
