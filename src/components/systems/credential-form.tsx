"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "~/trpc/react";
import { describeError, FieldError, FormAlert } from "../form-errors";
import { inputClass, labelClass, primaryButtonClass, secondaryButtonClass } from "../styles";

/** Write-only: the credential goes in, is stored encrypted, and only its mask ever comes back. */
export function CredentialForm({ systemKey, name, authSet, fromEnv }: { systemKey: string; name: string; authSet: boolean; fromEnv: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [done, setDone] = useState<string | null>(null);
  const set = useMutation(trpc.systems.setCredential.mutationOptions({ onSuccess: () => router.refresh() }));
  const err = describeError(set.error);
  const id = `sys-${systemKey}-credential`;

  function save(value: string, form?: HTMLFormElement) {
    setDone(null);
    set.mutate(
      { key: systemKey, value },
      { onSuccess: () => { form?.reset(); setDone(value ? "Credential saved. It is stored encrypted and is never shown again." : "Credential cleared."); } },
    );
  }

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const value = String(new FormData(e.currentTarget).get("value") ?? "");
    if (value.trim()) save(value, e.currentTarget);
  }

  return (
    <form onSubmit={onSubmit} aria-label={`Credential for ${name}`} className="min-w-0 space-y-3">
      <h3 className="text-sm font-semibold text-zinc-900">Credential</h3>
      <FormAlert message={err.fields.value ? null : err.message} />
      <div>
        <label htmlFor={id} className={labelClass}>New credential (whole header value)</label>
        <input
          id={id}
          name="value"
          type="password"
          required
          autoComplete="new-password"
          spellCheck={false}
          aria-invalid={err.fields.value ? true : undefined}
          aria-describedby={err.fields.value ? `${id}-error` : `${id}-hint`}
          className={inputClass}
        />
        <FieldError id={`${id}-error`} message={err.fields.value} />
        <p id={`${id}-hint`} className="mt-1 text-xs text-zinc-500">
          For example <code>Bearer …</code> or <code>users API-Key …</code>. Write-only: it cannot be read back.
          {fromEnv ? " An environment variable sets the credential in effect; this stored one is used without it." : ""}
        </p>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={set.isPending} className={primaryButtonClass}>
          {set.isPending ? "Saving…" : "Set credential"}
        </button>
        {authSet && !fromEnv ? (
          <button type="button" disabled={set.isPending} onClick={() => save("")} className={secondaryButtonClass}>
            Clear credential
          </button>
        ) : null}
      </div>
      <p role="status" className="text-sm text-green-800">{done && !set.isPending ? done : ""}</p>
    </form>
  );
}
