"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "~/trpc/react";
import { describeError } from "../form-errors";
import { inputClass, labelClass, primaryButtonClass, secondaryButtonClass } from "../styles";

export type TValueKind = "string" | "number" | "boolean";

/** The typed value of what the admin typed, or an error message. */
function parse(text: string, kind: TValueKind): { value: unknown } | { error: string } {
  const t = text.trim();
  if (kind === "boolean") return t === "true" || t === "false" ? { value: t === "true" } : { error: "Enter true or false." };
  if (kind === "number") return t !== "" && Number.isFinite(Number(t)) ? { value: Number(t) } : { error: "Enter a number." };
  return { value: t === "" ? null : text };
}

/** Keep theirs, keep ours, or type the value; whatever wins is sent to every system that carries the field. */
export function ConflictActions(props: { conflictId: string; field: string; theirsLabel: string; oursLabel: string; kind: TValueKind; initial: string }) {
  const { conflictId, field, kind } = props;
  const trpc = useTRPC();
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [local, setLocal] = useState<string | null>(null);
  const resolve = useMutation(trpc.conflicts.resolve.mutationOptions({ onSuccess: () => router.refresh() }));
  const err = describeError(resolve.error);
  const message = local ?? err.message;
  const inputId = `conflict-${conflictId}-value`;

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const parsed = parse(String(new FormData(e.currentTarget).get("value") ?? ""), kind);
    if ("error" in parsed) return setLocal(parsed.error);
    setLocal(null);
    resolve.mutate({ conflictId, pick: "edited", value: parsed.value });
  }

  return (
    <div className="mt-4 space-y-3">
      <div className="flex flex-wrap gap-3">
        <button type="button" disabled={resolve.isPending} onClick={() => resolve.mutate({ conflictId, pick: "theirs" })} aria-label={`Keep theirs (${props.theirsLabel}) for ${field}`} className={secondaryButtonClass}>
          Keep theirs
        </button>
        <button type="button" disabled={resolve.isPending} onClick={() => resolve.mutate({ conflictId, pick: "ours" })} aria-label={`Keep ours (${props.oursLabel}) for ${field}`} className={secondaryButtonClass}>
          Keep ours
        </button>
        <button type="button" disabled={resolve.isPending} aria-expanded={editing} aria-controls={`${inputId}-form`} onClick={() => setEditing((v) => !v)} aria-label={`Edit the value of ${field}`} className={secondaryButtonClass}>
          Edit
        </button>
      </div>
      {editing ? (
        <form id={`${inputId}-form`} onSubmit={onSubmit} className="flex flex-col gap-2 sm:flex-row sm:items-end">
          <div className="min-w-0 flex-1">
            <label htmlFor={inputId} className={labelClass}>
              New value for {field}
              {kind !== "string" ? <span className="font-normal text-zinc-500"> ({kind === "boolean" ? "true or false" : "a number"})</span> : null}
            </label>
            <input id={inputId} name="value" type="text" autoComplete="off" defaultValue={props.initial} aria-invalid={local ? true : undefined} aria-describedby={message ? `${inputId}-error` : undefined} className={inputClass} />
          </div>
          <button type="submit" disabled={resolve.isPending} className={primaryButtonClass}>
            {resolve.isPending ? "Saving…" : "Save value"}
          </button>
        </form>
      ) : null}
      {message ? <p id={`${inputId}-error`} role="alert" className="text-sm text-red-700">{message}</p> : null}
      {resolve.isPending ? <p role="status" className="text-sm text-zinc-600">Resolving…</p> : null}
    </div>
  );
}
