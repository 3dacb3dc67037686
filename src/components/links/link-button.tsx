"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "~/trpc/react";
import { announce } from "../announcer";
import { describeError } from "../form-errors";
import { secondaryButtonClass } from "../styles";

/** Links one Concord record to one document of a system; the system then takes Concord's values where they differ. */
export function LinkButton({ recordId, system, externalId, label }: { recordId: string; system: string; externalId: string; label: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const link = useMutation(trpc.links.link.mutationOptions({ onSuccess: (r) => { announce(`Linked ${label}${r.conflicts.length ? `; its ${r.conflicts.map((c) => c.field).join(", ")} differs: choose on the Conflicts page` : ""}.`); router.refresh(); } }));
  const message = describeError(link.error).message;
  return (
    <div>
      <button type="button" disabled={link.isPending || link.isSuccess} onClick={() => link.mutate({ recordId, system, externalId })} aria-label={`Link ${label}`} className={`${secondaryButtonClass} py-1`}>
        {link.isPending ? "Linking…" : link.isSuccess ? "Linked" : "Link"}
      </button>
      {message ? <p role="alert" className="mt-1 max-w-xs text-xs text-red-700">{message}</p> : null}
    </div>
  );
}
