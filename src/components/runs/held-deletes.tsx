import Link from "next/link";
import type { THeldDeletes } from "~/server/services/runs/held-deletes";
import { linkClass } from "../styles";
import { TableRegion, tdClass, thClass } from "../table-region";
import { RecreateButton } from "./recreate-button";

/** The deletes a run holds for an admin's approval (the mass-delete guard), each record by name with the systems it is still in. */
export function HeldDeletes({ held, systemName, systemNames, runId, canRecreate }: { held: THeldDeletes; systemName: string; systemNames: Record<string, string>; runId: string; canRecreate: boolean }) {
  const n = held.items.length;
  const rejected = held.rejectedBy !== null;
  return (
    <section aria-labelledby="held-title" className="mt-8 space-y-3">
      <h2 id="held-title" className="text-lg font-semibold text-zinc-900">{rejected ? "Deletes rejected" : "Deletes held for approval"}</h2>
      {rejected ? (
        <div role="status" className="rounded-md border border-zinc-200 bg-zinc-50 px-4 py-3 text-sm text-zinc-800">
          <p>
            {held.rejectedBy} rejected the deletes: nothing was deleted. These {n} {n === 1 ? "record is" : "records are"} still in Concord and the other systems, but no longer in {systemName}.
          </p>
          {held.recreated !== null ? (
            <p className="mt-1 font-medium text-green-800">Re-created {held.recreated} in {systemName}.</p>
          ) : canRecreate ? (
            <div className="mt-2"><RecreateButton runId={runId} count={n} systemName={systemName} /></div>
          ) : null}
        </div>
      ) : (
        <p className="text-sm text-zinc-600">
          {n} linked {n === 1 ? "record is" : "records are"} no longer in {systemName}. Approving deletes {n === 1 ? "it" : "them"} in Concord and in the systems listed beside each; rejecting deletes nothing.
        </p>
      )}
      <TableRegion label="Records the run would delete">
        <table className="min-w-full divide-y divide-zinc-200 text-sm">
          <thead className="bg-zinc-50">
            <tr>
              <th scope="col" className={thClass}>Record</th>
              <th scope="col" className={thClass}>Id in {systemName}</th>
              <th scope="col" className={thClass}>{rejected ? "Still in" : "Would be deleted from"}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {held.items.map((i) => (
              <tr key={i.externalId}>
                <td className={`${tdClass} [overflow-wrap:anywhere]`}>
                  {i.recordId ? <Link href={`/records/${i.recordId}`} className={linkClass}>{i.name ?? i.naturalKey ?? i.recordId}</Link> : <span className="text-zinc-500">no longer linked</span>}
                  {i.naturalKey ? <span className="block font-mono text-xs text-zinc-500">{i.naturalKey}</span> : null}
                </td>
                <td className={`${tdClass} font-mono text-xs`}>{i.externalId}</td>
                <td className={tdClass}>{["Concord", ...i.systems.map((s) => systemNames[s] ?? s)].join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
    </section>
  );
}
