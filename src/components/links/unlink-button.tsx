"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useTRPC } from "~/trpc/react";
import { announce } from "../announcer";
import { describeError } from "../form-errors";
import { dangerButtonClass, secondaryButtonClass } from "../styles";

/** Removes a record's link in a system after the admin confirms; nothing is deleted anywhere. */
export function UnlinkButton({ recordId, system, systemName, label }: { recordId: string; system: string; systemName: string; label: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [asking, setAsking] = useState(false);
  const question = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (asking) question.current?.focus();
  }, [asking]);
  const unlink = useMutation(trpc.links.unlink.mutationOptions({ onSuccess: (r) => { setAsking(false); announce(`Unlinked ${label} from ${systemName}${r.cancelledDeliveries ? `; ${r.cancelledDeliveries} waiting write cancelled` : ""}. Nothing was deleted.`); router.refresh(); } }));
  const message = describeError(unlink.error).message;
  const notCleared = unlink.data?.clearedIds.filter((c) => !c.ok) ?? [];
  if (unlink.isSuccess) {
    return (
      <p role="status" className="text-xs text-green-800">
        Unlinked{unlink.data.cancelledDeliveries ? `; ${unlink.data.cancelledDeliveries} waiting write cancelled` : ""}.
        {notCleared.length ? <span className="block text-red-800">Could not clear the stored id in {notCleared.map((c) => c.system).join(", ")}.</span> : null}
      </p>
    );
  }
  return (
    <div>
      {asking ? (
        <div ref={question} tabIndex={-1} role="group" aria-label={`Unlink ${label}?`} onKeyDown={(e) => e.key === "Escape" && setAsking(false)} className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-amber-500">
          <p className="text-xs text-amber-900">Unlink {label} from {systemName}? Nothing is deleted: the record and the document both stay, and stop being kept in agreement.</p>
          <div className="flex flex-wrap gap-2">
            <button type="button" disabled={unlink.isPending} onClick={() => unlink.mutate({ recordId, system })} className={`${dangerButtonClass} py-1`}>
              {unlink.isPending ? "Unlinking…" : "Yes, unlink"}
            </button>
            <button type="button" disabled={unlink.isPending} onClick={() => setAsking(false)} className={`${secondaryButtonClass} py-1`}>
              Keep it
            </button>
          </div>
        </div>
      ) : (
        <button type="button" onClick={() => { unlink.reset(); setAsking(true); }} aria-label={`Unlink ${label}`} className={`${secondaryButtonClass} py-1`}>
          Unlink
        </button>
      )}
      {message ? <p role="alert" className="mt-1 max-w-xs text-xs text-red-700">{message}</p> : null}
    </div>
  );
}
