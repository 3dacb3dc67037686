"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "~/trpc/react";
import { describeError } from "../form-errors";
import { secondaryButtonClass } from "../styles";

/** After rejected deletes: re-create the records in the system they vanished from. */
export function RecreateButton({ runId, count, systemName }: { runId: string; count: number; systemName: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const recreate = useMutation(trpc.runs.recreateRejected.mutationOptions({ onSuccess: () => router.refresh() }));
  const message = describeError(recreate.error).message;
  return (
    <div>
      <button type="button" disabled={recreate.isPending || recreate.isSuccess} onClick={() => recreate.mutate({ runId })} className={secondaryButtonClass}>
        {recreate.isPending ? "Re-creating…" : `Re-create ${count === 1 ? "it" : `these ${count}`} in ${systemName}`}
      </button>
      {recreate.isSuccess ? <p role="status" className="mt-1 text-green-800">Re-created {recreate.data.recreated} in {systemName}: the deliveries are queued.</p> : null}
      {message ? <p role="alert" className="mt-1 text-red-700">{message}</p> : null}
    </div>
  );
}
