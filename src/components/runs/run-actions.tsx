"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "~/trpc/react";
import { announce } from "../announcer";
import { describeError } from "../form-errors";
import { dangerButtonClass, primaryButtonClass } from "../styles";

/** Approve / Reject a run held by the mass-delete guard, or Cancel one that is queued or running. */
export function RunActions({ runId, status }: { runId: string; status: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const decide = useMutation(
    trpc.runs.decide.mutationOptions({
      onSuccess: (_r, v) => {
        announce(v.approve ? "Deletes approved: they are applied." : "Deletes rejected: nothing was deleted.");
        router.refresh();
      },
    }),
  );
  const cancel = useMutation(trpc.runs.cancel.mutationOptions({ onSuccess: () => { announce("Run cancelled: what it applied so far stays."); router.refresh(); } }));
  const busy = decide.isPending || cancel.isPending;
  const message = describeError(decide.error ?? cancel.error).message;

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-3">
        {status === "awaiting-approval" ? (
          <>
            <button type="button" disabled={busy} onClick={() => decide.mutate({ runId, approve: true })} className={primaryButtonClass}>
              {decide.isPending && decide.variables?.approve ? "Approving…" : "Approve the deletes"}
            </button>
            <button type="button" disabled={busy} onClick={() => decide.mutate({ runId, approve: false })} className={dangerButtonClass}>
              {decide.isPending && !decide.variables?.approve ? "Rejecting…" : "Reject (delete nothing)"}
            </button>
          </>
        ) : null}
        {status === "queued" || status === "running" ? (
          <button type="button" disabled={busy} onClick={() => cancel.mutate({ id: runId })} className={dangerButtonClass}>
            {cancel.isPending ? "Cancelling…" : "Cancel run"}
          </button>
        ) : null}
      </div>
      {message ? <p role="alert" className="text-sm text-red-700">{message}</p> : null}
    </div>
  );
}
