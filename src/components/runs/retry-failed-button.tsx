"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "~/trpc/react";
import { describeError } from "../form-errors";
import { secondaryButtonClass } from "../styles";

/** Starts a selective run over this run's failed items, then opens it (admins). */
export function RetryFailedButton({ runId, failed }: { runId: string; failed: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const retry = useMutation(trpc.runs.retryFailed.mutationOptions({ onSuccess: (r) => router.push(`/runs/${r.run.id}`) }));
  const message = describeError(retry.error).message;
  return (
    <div className="space-y-1">
      <button type="button" disabled={retry.isPending || retry.isSuccess} onClick={() => retry.mutate({ runId })} aria-describedby="retry-failed-hint" className={secondaryButtonClass}>
        {retry.isPending || retry.isSuccess ? "Starting…" : `Retry ${failed} failed ${failed === 1 ? "item" : "items"}`}
      </button>
      <p id="retry-failed-hint" className="text-xs text-zinc-500">A new selective run reads just those documents again and applies them.</p>
      {message ? <p role="alert" className="text-sm text-red-700">{message}</p> : null}
    </div>
  );
}
