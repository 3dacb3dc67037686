"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { describeError, FormAlert } from "../form-errors";
import { ShownOnce } from "../shown-once";
import { DownloadPasswordsCsv } from "./download-passwords-csv";
import { secondaryButtonClass } from "../styles";

/**
 * New Maintenance Portal users' temporary passwords, for the admin who ran the sync: each can be shown
 * once, then it is gone from Concord (it was only ever kept encrypted).
 */
export function TemporaryPasswords({ runId }: { runId?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery({ ...trpc.fleet.temporaryPasswords.queryOptions({ runId }), refetchInterval: 5_000 });
  const [shown, setShown] = useState<{ label: string; password: string } | null>(null);
  // How many the CSV took: the section stays to say so once the list is empty.
  const [downloaded, setDownloaded] = useState<number | null>(null);
  const reveal = useMutation(
    trpc.fleet.revealTemporaryPassword.mutationOptions({
      onSuccess: (r) => {
        setShown(r);
        void queryClient.invalidateQueries({ queryKey: trpc.fleet.temporaryPasswords.queryKey() });
      },
    }),
  );
  const err = describeError(reveal.error);
  const items = list.data ?? [];
  if (!shown && downloaded === null && items.length === 0) return null;

  return (
    <section aria-labelledby="temp-passwords-title" className="my-6 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm">
      <h2 id="temp-passwords-title" className="text-base font-semibold text-zinc-900">Temporary passwords</h2>
      <p className="mt-0.5 text-sm text-zinc-600">
        New users were created in the Maintenance Portal with a temporary password they must change at first sign-in. Each is shown once.
      </p>
      {runId && items.length > 1 ? <DownloadPasswordsCsv runId={runId} count={items.length} onDownloaded={setDownloaded} /> : null}
      {downloaded !== null ? (
        <p role="status" className="mt-3 text-sm text-green-800">
          Downloaded {downloaded} passwords. Concord no longer has them: keep the file safe and delete it once handed over.
        </p>
      ) : null}
      <FormAlert message={err.message} />
      {shown && (
        <div className="mt-3">
          <ShownOnce title={`Temporary password for ${shown.label}`} label="Temporary password" what="password" value={shown.password} testId="temporary-password" onDone={() => setShown(null)}>
            Give it to {shown.label} now: Concord no longer has it.
          </ShownOnce>
        </div>
      )}
      {items.length > 0 && (
        <ul className="mt-3 divide-y divide-zinc-100">
          {items.map((p) => (
            <li key={p.id} className="flex items-center justify-between gap-3 py-2 text-sm">
              <span className="text-zinc-800">{p.label}</span>
              <button type="button" className={secondaryButtonClass} disabled={reveal.isPending} onClick={() => reveal.mutate({ id: p.id })} aria-label={`Show the temporary password for ${p.label} once`}>
                Show once
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
