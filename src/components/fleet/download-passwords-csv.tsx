"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { describeError } from "../form-errors";
import { primaryButtonClass } from "../styles";

/** Every temporary password of a run still to show, downloaded once as a CSV (name, email, password); then Concord no longer has them. */
export function DownloadPasswordsCsv({ runId, count }: { runId: string; count: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const download = useMutation(
    trpc.fleet.exportTemporaryPasswords.mutationOptions({
      onSuccess: ({ csv, filename }) => {
        const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
        const a = document.createElement("a");
        a.href = url;
        a.download = filename;
        document.body.append(a);
        a.click();
        a.remove();
        URL.revokeObjectURL(url);
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
      {download.isSuccess ? <p role="status" className="text-sm text-green-800">Downloaded {download.data.count} passwords. Concord no longer has them: keep the file safe and delete it once handed over.</p> : null}
      {message ? <p role="alert" className="text-sm text-red-700">{message}</p> : null}
    </div>
  );
}
