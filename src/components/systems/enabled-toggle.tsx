"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "~/trpc/react";
import { describeError } from "../form-errors";
import { dangerButtonClass, secondaryButtonClass } from "../styles";

/** Disabled systems get no requests: their deliveries wait (nothing is lost) until enabled again. */
export function EnabledToggle({ systemKey, name, enabled }: { systemKey: string; name: string; enabled: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const update = useMutation(trpc.systems.update.mutationOptions({ onSuccess: () => router.refresh() }));
  const message = describeError(update.error).message;
  const verb = enabled ? "Disable" : "Enable";

  return (
    <div>
      <button
        type="button"
        disabled={update.isPending}
        onClick={() => update.mutate({ key: systemKey, enabled: !enabled })}
        aria-label={`${verb} ${name}`}
        aria-describedby={`toggle-${systemKey}-hint`}
        className={enabled ? dangerButtonClass : secondaryButtonClass}
      >
        {update.isPending ? `${enabled ? "Disabling" : "Enabling"}…` : verb}
      </button>
      <p id={`toggle-${systemKey}-hint`} className="mt-1 max-w-xs text-xs text-zinc-500">
        {enabled ? "Deliveries to it will wait until it is enabled again." : "Waiting deliveries go out as soon as it is enabled."}
      </p>
      {message ? (
        <p role="alert" className="mt-1 max-w-xs text-xs text-red-700">
          {message}
        </p>
      ) : null}
    </div>
  );
}
