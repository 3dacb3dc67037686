"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "~/trpc/react";
import { hrefWith } from "../console/params";
import { describeError } from "../form-errors";
import { primaryButtonClass } from "../styles";

/** Starts a drift check of the entity in the background and shows it; the page follows its progress. */
export function StartDriftCheck({ entity, running }: { entity: string; running: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const start = useMutation(trpc.drift.startCheck.mutationOptions({ onSuccess: (check) => router.push(hrefWith("/links/drift", { entity, check: check.id })) }));
  const message = describeError(start.error).message;
  return (
    <div className="space-y-2">
      <button type="button" disabled={running || start.isPending} onClick={() => start.mutate({ entity })} className={primaryButtonClass}>
        {start.isPending ? "Starting…" : running ? "A check is running…" : "Check drift"}
      </button>
      {message ? <p role="alert" className="text-sm text-red-700">{message}</p> : null}
    </div>
  );
}
