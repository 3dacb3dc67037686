"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "~/trpc/react";
import { announce } from "../announcer";
import { describeError } from "../form-errors";
import { inputClass, labelClass, secondaryButtonClass } from "../styles";

interface Props {
  recordId: string;
  system: string;
  systemName: string;
  /** The record, for labels ("Roofing"). */
  label: string;
  /** relink: the record is linked already (or the document is): move the link. */
  mode: "link" | "relink";
  /** The id of a `<datalist>` of the system's unlinked documents (searchable by name, key or id); an id can still be typed. */
  listId?: string;
}

/**
 * Links a record to a document of the system, picked from its unlinked documents (searchable by name, key
 * or id) or by the document's id — for a pair no suggestion offers —
 * or moves an existing link (relink). The system then takes Concord's values where they differ.
 */
export function LinkToIdForm({ recordId, system, systemName, label, mode, listId }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const inputId = useId();
  const [open, setOpen] = useState(false);
  const options = { onSuccess: (r: { link: { externalId: string }; conflicts: { field: string }[] }) => { announce(`${mode === "link" ? "Linked" : "Moved the link of"} ${label} to ${systemName} ${r.link.externalId}${r.conflicts.length ? `; its ${r.conflicts.map((c) => c.field).join(", ")} differs: choose on the Conflicts page` : ""}.`); router.refresh(); } };
  const link = useMutation(trpc.links.link.mutationOptions(options));
  const relink = useMutation(trpc.links.relink.mutationOptions(options));
  const m = mode === "link" ? link : relink;
  const err = describeError(m.error);
  const message = err.fields.externalId ?? err.message;
  const verb = mode === "link" ? "Link" : "Relink";

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const externalId = String(new FormData(e.currentTarget).get("externalId") ?? "").trim();
    m.mutate({ recordId, system, externalId });
  }

  if (m.isSuccess) return <p role="status" className="text-xs text-green-800">{mode === "link" ? "Linked" : "Moved"} to {m.data.link.externalId}.</p>;
  return (
    <div>
      <button type="button" aria-expanded={open} aria-controls={`${inputId}-form`} onClick={() => setOpen((v) => !v)} aria-label={`${verb} ${label} to a ${systemName} id`} className={`${secondaryButtonClass} py-1`}>
        {verb}…
      </button>
      {open ? (
        <form id={`${inputId}-form`} onSubmit={onSubmit} className="mt-2 flex flex-wrap items-end gap-2">
          <div className="min-w-[12rem]">
            <label htmlFor={inputId} className={`${labelClass} text-xs`}>{systemName} document for {label}</label>
            <input
              id={inputId}
              name="externalId"
              required
              autoComplete="off"
              list={listId}
              placeholder={listId ? "Type a name, key or id" : "Its id"}
              aria-invalid={message ? true : undefined}
              aria-describedby={message ? `${inputId}-error` : undefined}
              className={`${inputClass} py-1`}
            />
          </div>
          <button type="submit" disabled={m.isPending} className={`${secondaryButtonClass} py-1`}>
            {m.isPending ? `${verb}ing…` : verb}
          </button>
        </form>
      ) : null}
      {message ? <p id={`${inputId}-error`} role="alert" className="mt-1 max-w-xs text-xs text-red-700">{message}</p> : null}
    </div>
  );
}
