"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { describeError } from "../form-errors";
import { primaryButtonClass } from "../styles";

/**
 * Every temporary password of a run still to show, downloaded once as a CSV (name, email, password); then
 * Concord no longer has them. `onDownloaded` lets the section say so after its list has emptied.
 */
export function DownloadPasswordsCsv({ runId, count, onDownloaded }: { runId: string; count: number; onDownloaded: (count: number) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const download = useMutation(
    trpc.fleet.exportTemporaryPasswords.mutationOptions({
      onSuccess: ({ csv, filename, count: downloaded }) => {
        const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
        const a = document.createElement("a");
        a.href = url;
        a.download = filename;
        document.body.append(a);
        a.click();
        a.remove();
        URL.revokeObjectURL(url);
        onDownloaded(downloaded);
        void queryClient.invalidateQueries({ queryKey: trpc.fleet.temporaryPasswords.queryKey() });
      },
    }),
  );
  const message = describeError(download.error).message;
  return (
    <div className="mt-3 space-y-1">
      <button type="button" disabled={download.isPending} onClick={() => download.mutate({ runId })} className={primaryButtonClass}>
        {download.isPending ? "Preparing…" : `Download all ${count} as CSV (once)`}
      </button>
      {message ? <p role="alert" className="text-sm text-red-700">{message}</p> : null}
    </div>
  );
}
