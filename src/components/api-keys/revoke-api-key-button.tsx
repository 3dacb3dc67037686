"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useTRPC } from "~/trpc/react";
import { describeError } from "../form-errors";
import { dangerButtonClass, secondaryButtonClass } from "../styles";

/** Revokes a key for good, after the admin confirmed: from then on a call with it is refused. */
export function RevokeApiKeyButton({ id, name }: { id: string; name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [asking, setAsking] = useState(false);
  const question = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  // Keyboard users land on the question when it opens, and back on the button when it is dismissed.
  useEffect(() => {
    if (asking) question.current?.focus();
    else if (wasAsking.current) opener.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions({ onSuccess: () => router.refresh() }));
  const message = describeError(revoke.error).message;
  const questionId = `revoke-${id}-question`;

  return (
    <div className="space-y-2">
      {!asking ? (
        <button ref={opener} type="button" onClick={() => { revoke.reset(); setAsking(true); }} aria-label={`Revoke API key ${name}`} className={dangerButtonClass}>
          Revoke…
        </button>
      ) : (
        <div ref={question} tabIndex={-1} role="group" aria-labelledby={questionId} className="max-w-xs rounded-lg border-2 border-amber-400 bg-amber-50 p-3 focus:outline-none focus-visible:ring-2 focus-visible:ring-amber-500">
          <p id={questionId} className="text-sm text-amber-900">
            Revoke “{name}”? Tools using it are refused from now on. This cannot be undone.
          </p>
          <div className="mt-2 flex flex-wrap gap-2">
            <button type="button" disabled={revoke.isPending} onClick={() => revoke.mutate({ id })} className={dangerButtonClass}>
              {revoke.isPending ? "Revoking…" : "Yes, revoke it"}
            </button>
            <button type="button" disabled={revoke.isPending} onClick={() => setAsking(false)} className={secondaryButtonClass}>
              Keep it
            </button>
          </div>
        </div>
      )}
      {message ? <p role="alert" className="max-w-xs text-xs text-red-700">{message}</p> : null}
    </div>
  );
}
