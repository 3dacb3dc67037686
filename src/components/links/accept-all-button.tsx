"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "~/trpc/react";
import { describeError } from "../form-errors";
import { primaryButtonClass } from "../styles";

type TPair = { recordId: string; system: string; externalId: string };

/** Links every document whose best candidate has the same natural key (score 1.0), each on its own. */
export function AcceptAllButton({ items }: { items: TPair[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(trpc.links.acceptSuggestions.mutationOptions({ onSuccess: () => router.refresh() }));
  const message = describeError(accept.error).message;
  const refused = accept.data?.items.filter((i) => !i.ok) ?? [];
  // Stays mounted while the page refreshes, so the outcome is still shown once the matches are gone.
  if (items.length === 0 && !accept.data && !message) return null;
  return (
    <div className="space-y-2">
      {items.length ? (
        <button type="button" disabled={accept.isPending} onClick={() => accept.mutate({ items })} className={primaryButtonClass}>
          {accept.isPending ? "Linking…" : `Accept all 1.0 matches (${items.length})`}
        </button>
      ) : null}
      {message ? <p role="alert" className="text-sm text-red-700">{message}</p> : null}
      {accept.data ? (
        <div role="status" className="text-sm">
          <p className="text-green-800">Linked {accept.data.linked}{accept.data.refused ? `; ${accept.data.refused} refused:` : "."}</p>
          {refused.length ? (
            <ul className="mt-1 list-disc pl-5 text-red-800">
              {refused.slice(0, 10).map((r) => <li key={`${r.recordId}-${r.externalId}`}>{r.externalId}: {r.error?.message}</li>)}
            </ul>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
