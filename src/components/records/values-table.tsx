import type { TRecordDetail, TSystemColumn } from "~/server/services/records/get-record-detail";
import Link from "next/link";
import { formatValue } from "../console/format";
import { linkClass } from "../styles";
import { TableRegion, tdClass, thClass } from "../table-region";

const DIRECTION: Record<string, string> = { owner: "owner", both: "two-way", receive: "receives" };

/** JSON equality after the same normalisation the engine stores (canonical values). */
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

type TReference = TRecordDetail["references"][string];

function SystemCell({ column, field, ours, reference }: { column: TSystemColumn; field: string; ours: unknown; reference?: TReference }) {
  const fb = column.fields[field];
  if (!fb) return <span className="text-xs text-zinc-500">not synced here</span>;
  const via = (
    <span className="mt-0.5 block text-xs text-zinc-500">
      <span className="font-mono">{fb.field}</span> · {DIRECTION[fb.direction] ?? fb.direction}
    </span>
  );
  if (!column.link) return <><span className="text-zinc-500">not in this system</span>{via}</>;
  if (column.link.removed) return <><span className="text-zinc-500">deleted there</span>{via}</>;
  if (!column.lastValues || !(field in column.lastValues)) return <><span className="text-zinc-500">never agreed yet</span>{via}</>;
  const theirs = column.lastValues[field];
  const differs = !same(theirs, ours);
  if (reference && !differs) {
    // A reference: this system's own id for the parent (Concord keeps its record id).
    const own = reference.ids[column.system];
    return <><span className="font-mono text-xs [overflow-wrap:anywhere]">{own ?? <span className="font-sans text-zinc-500">not there yet</span>}</span>{via}</>;
  }
  return (
    <>
      <span className={`[overflow-wrap:anywhere] ${differs ? "font-medium text-amber-900" : ""}`}>{formatValue(theirs)}</span>
      {differs ? <span className="ml-1 inline-flex rounded-full bg-amber-100 px-1.5 text-xs text-amber-900">differs</span> : null}
      {via}
    </>
  );
}

/**
 * Field × system: Concord's value (with who changed it last) beside the values each system last agreed
 * on with Concord, under the system's own field name. A value that is not Concord's says so in words.
 */
export function ValuesTable({ detail, systemNames }: { detail: TRecordDetail; systemNames: Record<string, string> }) {
  const { record } = detail;
  return (
    <TableRegion label="Values per system">
      <table className="min-w-full divide-y divide-zinc-200">
        <thead className="bg-zinc-50">
          <tr>
            <th scope="col" className={thClass}>Field</th>
            <th scope="col" className={thClass}>Concord</th>
            {detail.systems.map((s) => (
              <th key={s.system} scope="col" className={thClass}>{systemNames[s.system] ?? s.name}</th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {detail.fields.map((field) => {
            const stamp = record.stamps[field];
            return (
              <tr key={field} data-field={field}>
                <th scope="row" className={`${tdClass} text-left font-mono text-xs font-semibold`}>
                  {field}
                  {record.held[field] ? <span className="mt-1 block font-sans text-xs font-medium text-amber-800">held by a conflict</span> : null}
                </th>
                <td className={`${tdClass} min-w-[9rem]`}>
                  {detail.references[field] ? (
                    detail.references[field].recordId ? (
                      <Link href={`/records/${detail.references[field].recordId}`} className={`${linkClass} [overflow-wrap:anywhere]`}>{detail.references[field].name ?? `a ${detail.references[field].entity}`}</Link>
                    ) : (
                      <span className="text-zinc-500">a {detail.references[field].entity} Concord no longer has</span>
                    )
                  ) : (
                    <span className="[overflow-wrap:anywhere]">{formatValue(record.data[field])}</span>
                  )}
                  {stamp ? <span className="mt-0.5 block text-xs text-zinc-500">from {systemNames[stamp.by] ?? stamp.by}</span> : null}
                </td>
                {detail.systems.map((s) => (
                  <td key={s.system} className={`${tdClass} min-w-[9rem]`}>
                    <SystemCell column={s} field={field} ours={record.data[field]} reference={detail.references[field]} />
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableRegion>
  );
}
