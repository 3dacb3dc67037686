"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "~/trpc/react";
import { announce } from "../announcer";
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

interface Props {
  conflictId: string;
  field: string;
  theirsLabel: string;
  oursLabel: string;
  kind: TValueKind;
  initial: string;
  /** For a conflict a policy decided: the side it kept, which is not offered again. */
  decided?: "theirs" | "ours" | null;
}

/** Keep one system's value, the other's, or type the value; whatever wins is sent to every system that carries the field. */
export function ConflictActions(props: Props) {
  const { conflictId, field, kind, decided = null } = props;
  const trpc = useTRPC();
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [local, setLocal] = useState<string | null>(null);
  const resolve = useMutation(trpc.conflicts.resolve.mutationOptions({
      onSuccess: (r) => {
        const kept = r.pick === "theirs" ? `${props.theirsLabel}'s value` : r.pick === "ours" ? `${props.oursLabel}'s value` : "your value";
        announce(`Kept ${kept} for ${r.field}: it goes to every system that carries ${r.field}.`);
        router.refresh();
      },
    }));
  const err = describeError(resolve.error);
  // The server names the field that does not fit the canonical schema ("industry.name is required").
  const message = local ?? err.message;
  const inputId = `conflict-${conflictId}-value`;

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const parsed = parse(String(new FormData(e.currentTarget).get("value") ?? ""), kind);
    if ("error" in parsed) return setLocal(parsed.error);
    setLocal(null);
    resolve.mutate({ conflictId, pick: "edited", value: parsed.value });
  }

  const sides = [
    { pick: "theirs" as const, label: `Keep ${props.theirsLabel}'s value` },
    { pick: "ours" as const, label: `Keep ${props.oursLabel}'s value` },
  ].filter((s) => s.pick !== decided);

  return (
    <div className="mt-4 space-y-3">
      <div className="flex flex-wrap gap-3">
        {sides.map((s) => (
          <button key={s.pick} type="button" disabled={resolve.isPending || resolve.isSuccess} onClick={() => { setLocal(null); resolve.mutate({ conflictId, pick: s.pick }); }} aria-label={`${s.label} for ${field}`} className={secondaryButtonClass}>
            {s.label}
          </button>
        ))}
        <button type="button" disabled={resolve.isPending || resolve.isSuccess} aria-expanded={editing} aria-controls={`${inputId}-form`} onClick={() => setEditing((v) => !v)} aria-label={`Edit the value of ${field}`} className={secondaryButtonClass}>
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
            <input id={inputId} name="value" type="text" autoComplete="off" defaultValue={props.initial} aria-invalid={message ? true : undefined} aria-describedby={message ? `${inputId}-error` : undefined} className={inputClass} />
          </div>
          <button type="submit" disabled={resolve.isPending || resolve.isSuccess} className={primaryButtonClass}>
            {resolve.isPending ? "Saving…" : "Save value"}
          </button>
        </form>
      ) : null}
      {message ? <p id={`${inputId}-error`} role="alert" className="text-sm text-red-700">{message}</p> : null}
      {resolve.isPending ? <p role="status" className="text-sm text-zinc-600">Resolving…</p> : null}
      {resolve.isSuccess ? <p role="status" className="text-sm text-green-800">Resolved: {field} is sent to every system that carries it.</p> : null}
    </div>
  );
}
