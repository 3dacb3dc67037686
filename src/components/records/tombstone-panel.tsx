import type { ReactNode } from "react";
import type { TRecordDetail } from "~/server/services/records/get-record-detail";
import { DateTime } from "../date-time";
import { RestoreButton } from "./restore-button";

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-semibold tracking-wide text-red-900/70 uppercase">{term}</dt>
      <dd className="mt-0.5 text-sm text-zinc-900 [overflow-wrap:anywhere]">{children}</dd>
    </div>
  );
}

const daysLeft = (until: Date, now: Date) => Math.max(0, Math.ceil((until.getTime() - now.getTime()) / 86_400_000));

/** A deleted record: when, from where, until when it can be restored, and (admins) the Restore button. */
export function TombstonePanel({
  deletion,
  label,
  id,
  canRestore,
  systemNames,
  now,
}: {
  deletion: NonNullable<TRecordDetail["deletion"]>;
  label: string;
  id: string;
  canRestore: boolean;
  systemNames: Record<string, string>;
  now: Date;
}) {
  const by = deletion.by === "concord" ? "Concord (an admin)" : deletion.by ? (systemNames[deletion.by] ?? deletion.by) : "unknown";
  const left = daysLeft(deletion.expiresAt, now);
  return (
    <section aria-labelledby="tombstone-title" className="mb-6 rounded-lg border border-red-200 bg-red-50 p-4 sm:p-6">
      <h2 id="tombstone-title" className="text-base font-semibold text-red-900">This record is deleted</h2>
      <p className="mt-1 max-w-2xl text-sm text-red-900">
        Concord keeps its data as a tombstone, so late changes from other systems are not taken as new records and it can be restored.
        After the tombstone expires it is removed for good.
      </p>
      <dl className="mt-4 grid grid-cols-1 gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-4">
        <Fact term="Deleted"><DateTime value={deletion.deletedAt} /></Fact>
        <Fact term="Deleted in">{by}{deletion.detail ? <span className="block text-xs text-zinc-600">{deletion.detail}</span> : null}</Fact>
        <Fact term="Tombstone expires"><DateTime value={deletion.expiresAt} /><span className="block text-xs text-zinc-600">{left === 0 ? "at the next prune" : `in ${left} ${left === 1 ? "day" : "days"}`}</span></Fact>
      </dl>
      <div className="mt-4">
        {canRestore ? <RestoreButton id={id} label={label} /> : <p className="text-sm text-zinc-700">Only admins can restore a deleted record.</p>}
      </div>
    </section>
  );
}
