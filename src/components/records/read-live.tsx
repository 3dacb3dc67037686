"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { formatValue } from "../console/format";
import { DateTime } from "../date-time";
import { describeError } from "../form-errors";
import { secondaryButtonClass } from "../styles";
import { TableRegion, tdClass, thClass } from "../table-region";

const STATUS_TEXT = { missing: "Not found there: the system answers that this document does not exist.", error: "Could not read it" } as const;

function summary(reads: { status: string; differs: string[] }[]): string {
  const differing = reads.filter((r) => r.status === "ok" && r.differs.length > 0).length;
  const failed = reads.filter((r) => r.status === "error").length;
  const missing = reads.filter((r) => r.status === "missing").length;
  if (!differing && !failed && !missing) return "Every system holds the same values as Concord.";
  const parts = [differing ? `${differing} of ${reads.length} ${reads.length === 1 ? "system differs" : "systems differ"} from Concord.` : ""];
  if (missing) parts.push(`${missing} no longer ${missing === 1 ? "holds" : "hold"} it.`);
  if (failed) parts.push(`${failed} could not be read.`);
  return parts.filter(Boolean).join(" ");
}

/**
 * "Read live": fetches the record from every linked system now, through each connector, and shows the
 * values beside Concord's, naming each field that differs. It only reads, so viewers may use it too.
 */
export function ReadLive({ id, fields, concord, systemNames }: { id: string; fields: string[]; concord: Record<string, unknown>; systemNames: Record<string, string> }) {
  const trpc = useTRPC();
  const live = useQuery({ ...trpc.records.readLive.queryOptions({ id }), enabled: false, retry: false, staleTime: 0 });
  const error = describeError(live.error).message;
  const reads = live.data?.reads ?? [];
  const name = (s: string) => systemNames[s] ?? s;

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" onClick={() => void live.refetch()} disabled={live.isFetching} className={secondaryButtonClass}>
          {live.isFetching ? "Reading…" : live.data ? "Read live again" : "Read live from each system"}
        </button>
        <p className="text-sm text-zinc-600">Asks every linked system for this record now. Nothing is changed anywhere.</p>
      </div>
      <div aria-live="polite">
        {error ? <p role="alert" className="text-sm text-red-700">{error}</p> : null}
        {live.data && reads.length === 0 ? <p className="text-sm text-zinc-700">No system holds this record now, so there is nothing to read.</p> : null}
        {reads.length > 0 ? (
          <>
            <p className="mb-2 text-sm text-zinc-700">
              {summary(reads)} Read at <DateTime value={reads[0]!.readAt} />.
            </p>
            <TableRegion label="Live values">
              <table className="min-w-full divide-y divide-zinc-200">
                <thead className="bg-zinc-50">
                  <tr>
                    <th scope="col" className={thClass}>Field</th>
                    <th scope="col" className={thClass}>Concord</th>
                    {reads.map((r) => (
                      <th key={r.system} scope="col" className={thClass}>{name(r.system)} now</th>
                    ))}
                  </tr>
                </thead>
                <tbody className="divide-y divide-zinc-100">
                  {reads.some((r) => r.status !== "ok") ? (
                    <tr>
                      <th scope="row" className={`${tdClass} text-left text-xs font-semibold`}>Read</th>
                      <td className={tdClass} />
                      {reads.map((r) => (
                        <td key={r.system} className={`${tdClass} text-sm ${r.status === "ok" ? "text-green-800" : "text-red-700"}`}>
                          {r.status === "ok" ? "read" : r.status === "missing" ? STATUS_TEXT.missing : `${STATUS_TEXT.error}: ${r.error ?? "unknown error"}`}
                        </td>
                      ))}
                    </tr>
                  ) : null}
                  {fields.map((f) => (
                    <tr key={f}>
                      <th scope="row" className={`${tdClass} text-left font-mono text-xs font-semibold`}>{f}</th>
                      <td className={`${tdClass} [overflow-wrap:anywhere]`}>{formatValue(concord[f])}</td>
                      {reads.map((r) => {
                        if (r.status !== "ok") return <td key={r.system} className={`${tdClass} text-zinc-400`}>—</td>;
                        if (!(f in r.values)) return <td key={r.system} className={`${tdClass} text-xs text-zinc-500`}>not synced here</td>;
                        const differs = r.differs.includes(f);
                        return (
                          <td key={r.system} className={`${tdClass} [overflow-wrap:anywhere] ${differs ? "font-medium text-amber-900" : ""}`}>
                            {formatValue(r.values[f])}
                            {differs ? <span className="ml-1 inline-flex rounded-full bg-amber-100 px-1.5 text-xs font-normal text-amber-900">differs from Concord</span> : null}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableRegion>
          </>
        ) : null}
      </div>
    </div>
  );
}
