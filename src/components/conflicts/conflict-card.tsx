import type { z } from "zod";
import type { ZConflictView } from "~/server/services/conflicts/list-conflicts";
import { formatValue } from "../console/format";
import { DateTime } from "../date-time";
import { ConflictActions, type TValueKind } from "./conflict-actions";

export type TConflictView = z.infer<typeof ZConflictView>;

function kindOf(c: TConflictView): TValueKind {
  const sample = c.theirs ?? c.ours ?? c.base;
  return typeof sample === "boolean" ? "boolean" : typeof sample === "number" ? "number" : "string";
}

const REASONS: Record<string, string> = {
  "foreign-write": "A system that may only receive this field changed it.",
  manual: "Both sides changed it since they last agreed; an admin decides.",
  lww: "Both sides changed it since they last agreed; the later change wins.",
  priority: "Both sides changed it since they last agreed; the system ranked first wins.",
};

function Side({ title, value, tone }: { title: string; value: unknown; tone: string }) {
  return (
    <div className={`min-w-0 rounded-md border p-3 ${tone}`}>
      <dt className="text-xs font-semibold tracking-wide text-zinc-600 uppercase">{title}</dt>
      <dd className="mt-1 text-sm font-medium break-words text-zinc-900">{formatValue(value)}</dd>
    </div>
  );
}

/** One field two systems changed differently: base, theirs and ours side by side, and (for admins) the way out. */
export function ConflictCard({ conflict: c, systemNames, canResolve }: { conflict: TConflictView; systemNames: Record<string, string>; canResolve: boolean }) {
  const theirs = systemNames[c.theirsSystem] ?? c.theirsSystem;
  const ours = c.oursSystem ? (systemNames[c.oursSystem] ?? c.oursSystem) : "Concord";
  const titleId = `conflict-${c.id}-title`;
  return (
    <article aria-labelledby={titleId} data-conflict={c.id} className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm sm:p-5">
      <header className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <h2 id={titleId} className="text-base font-semibold text-zinc-900">
          <code className="font-mono">{c.field}</code> of {c.entity} <span className="font-mono text-sm font-normal text-zinc-600">{c.recordId}</span>
        </h2>
        <p className="text-xs text-zinc-500">
          Raised <DateTime value={c.createdAt} />
        </p>
      </header>
      <p className="mt-1 text-sm text-zinc-600">{REASONS[c.reason] ?? c.reason}</p>
      <dl className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-3">
        <Side title="Base (last agreed)" value={c.base} tone="border-zinc-200 bg-zinc-50" />
        <Side title={`Theirs: ${theirs}`} value={c.theirs} tone="border-amber-200 bg-amber-50" />
        <Side title={`Ours: ${ours}`} value={c.ours} tone="border-indigo-200 bg-indigo-50" />
      </dl>
      {c.status === "resolved" ? (
        <p className="mt-3 text-sm text-zinc-700">
          Resolved ({c.resolution === "edited" ? "edited value" : `kept ${c.resolution}`}) by {c.resolvedBy ?? "unknown"}
          {c.resolvedAt ? (
            <>
              {" "}on <DateTime value={c.resolvedAt} />
            </>
          ) : null}
          .
        </p>
      ) : canResolve ? (
        <ConflictActions conflictId={c.id} field={c.field} theirsLabel={theirs} oursLabel={ours} kind={kindOf(c)} initial={formatValue(c.ours ?? c.theirs).replace("(empty)", "")} />
      ) : null}
    </article>
  );
}
