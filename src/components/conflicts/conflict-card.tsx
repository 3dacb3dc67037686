import Link from "next/link";
import type { TConflictView } from "~/server/services/conflicts/list-conflicts";
import { formatValue } from "../console/format";
import { DateTime } from "../date-time";
import { linkClass } from "../styles";
import { SelectConflict } from "./bulk-resolve";
import { ConflictActions, type TValueKind } from "./conflict-actions";

export type { TConflictView };

function kindOf(c: TConflictView): TValueKind {
  const sample = c.theirs ?? c.ours ?? c.base;
  return typeof sample === "boolean" ? "boolean" : typeof sample === "number" ? "number" : "string";
}

const REASONS: Record<string, string> = {
  "foreign-write": "A system that may only receive this field changed it.",
  manual: "Both sides changed it since they last agreed; an admin decides.",
  lww: "Both sides changed it since they last agreed; the later change won.",
  priority: "Both sides changed it since they last agreed; the system ranked first won.",
};

const POLICY_NAMES: Record<string, string> = { "policy:lww": "last-write-wins", "policy:priority": "system priority", "policy:foreign-write": "the field's owner" };

function Side({ title, value, tone, kept }: { title: string; value: unknown; tone: string; kept?: boolean }) {
  return (
    <div className={`min-w-0 rounded-md border p-3 ${tone}`}>
      <dt className="text-xs font-semibold tracking-wide text-zinc-600 uppercase">
        {title}
        {kept ? <span className="ml-2 rounded bg-green-100 px-1.5 py-0.5 text-[11px] font-semibold text-green-800 normal-case">kept</span> : null}
      </dt>
      <dd className="mt-1 text-sm font-medium break-words text-zinc-900">{formatValue(value)}</dd>
    </div>
  );
}

function Outcome({ c, theirs, ours }: { c: TConflictView; theirs: string; ours: string }) {
  const who = c.resolvedBy ? (POLICY_NAMES[c.resolvedBy] ?? c.resolvedBy) : "unknown";
  const what =
    c.resolution === "edited"
      ? "an edited value"
      : c.resolution === "superseded"
        ? "the decision on a newer conflict of the same field"
        : c.resolution === "theirs"
          ? `${theirs}'s value`
          : `${ours}'s value`;
  return (
    <p className="mt-3 text-sm text-zinc-700">
      Resolved with {what} by {who}
      {c.resolvedAt ? (
        <>
          {" "}on <DateTime value={c.resolvedAt} />
        </>
      ) : null}
      .
    </p>
  );
}

/** One field two systems changed differently: base, theirs and ours side by side, and (for admins) the way out. */
export function ConflictCard({ conflict: c, systemNames, canResolve }: { conflict: TConflictView; systemNames: Record<string, string>; canResolve: boolean }) {
  const theirs = systemNames[c.theirsSystem] ?? c.theirsSystem;
  const ours = c.oursSystem ? (systemNames[c.oursSystem] ?? c.oursSystem) : "Concord";
  const titleId = `conflict-${c.id}-title`;
  const recordLabel = c.recordName ?? c.naturalKey ?? c.recordId.slice(0, 8);
  const kept = c.status === "resolved" ? c.resolution : null;
  const initial = formatValue(c.ours ?? c.theirs).replace("(empty)", "");
  return (
    <article aria-labelledby={titleId} data-conflict={c.id} className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm sm:p-5">
      <header className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <h2 id={titleId} className="text-base font-semibold text-zinc-900">
          <code className="font-mono">{c.field}</code> of {c.entity} {recordLabel}
        </h2>
        <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
          <p className="text-xs text-zinc-500">
            Raised <DateTime value={c.createdAt} />
          </p>
          {canResolve && c.status === "open" ? <SelectConflict id={c.id} label={`${c.field} of ${recordLabel}`} /> : null}
        </div>
      </header>
      <p className="mt-1 text-sm text-zinc-600">
        {REASONS[c.reason] ?? c.reason}{" "}
        {c.recordDeleted ? (
          <span className="text-zinc-500">The record has since been deleted.</span>
        ) : (
          <Link href={`/records/${c.recordId}`} className={linkClass}>
            Open the record<span className="sr-only"> {recordLabel}</span>
          </Link>
        )}
        {c.naturalKey ? <span className="ml-2 font-mono text-xs text-zinc-500">{c.naturalKey}</span> : null}
      </p>
      <dl className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-3">
        <Side title={c.reason === "link" ? "Base: none (linked by hand)" : "Base (last agreed)"} value={c.base} tone="border-zinc-200 bg-zinc-50" />
        <Side title={`In ${theirs}`} value={c.theirs} tone="border-amber-200 bg-amber-50" kept={kept === "theirs"} />
        <Side title={`In ${ours} (Concord holds it)`} value={c.ours} tone="border-indigo-200 bg-indigo-50" kept={kept === "ours"} />
      </dl>
      {c.status === "resolved" ? <Outcome c={c} theirs={theirs} ours={ours} /> : null}
      {c.status === "open" && canResolve && !c.recordDeleted ? (
        <ConflictActions conflictId={c.id} field={c.field} theirsLabel={theirs} oursLabel={ours} kind={kindOf(c)} initial={initial} />
      ) : null}
      {c.status === "resolved" && canResolve && c.overridable ? (
        <details className="mt-3 rounded-md border border-zinc-200 px-3 py-2">
          <summary className="cursor-pointer text-sm font-medium text-indigo-800">Change the outcome</summary>
          <p className="mt-2 text-sm text-zinc-600">Concord still holds the policy&apos;s choice. Choosing otherwise sends your value to every system that carries {c.field}.</p>
          <ConflictActions conflictId={c.id} field={c.field} theirsLabel={theirs} oursLabel={ours} kind={kindOf(c)} initial={initial} decided={c.resolution === "theirs" ? "theirs" : "ours"} />
        </details>
      ) : null}
    </article>
  );
}
