"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { describeError } from "../form-errors";
import { ShownOnce } from "../shown-once";
import { secondaryButtonClass } from "../styles";

/**
 * Rotating makes a new secret and keeps the previous one valid until "Stop accepting the old secret".
 * The new secret is shown here once: it lives only in this component's state, so a reload forgets it.
 */
export function WebhookSecretControl({ systemKey, name, storedCount }: { systemKey: string; name: string; storedCount: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [secret, setSecret] = useState<string | null>(null);
  const rotate = useMutation(trpc.systems.rotateWebhookSecret.mutationOptions({ onSuccess: (r) => { setSecret(r.secret); router.refresh(); } }));
  const prune = useMutation(trpc.systems.removeOldWebhookSecrets.mutationOptions({ onSuccess: () => router.refresh() }));
  const message = describeError(rotate.error ?? prune.error).message;

  return (
    <div className="min-w-0 space-y-2 sm:flex-1">
      <div className="flex flex-wrap gap-3">
        <button type="button" disabled={rotate.isPending} onClick={() => rotate.mutate({ key: systemKey })} aria-label={`Rotate webhook secret of ${name}`} className={secondaryButtonClass}>
          {rotate.isPending ? "Rotating…" : "Rotate webhook secret"}
        </button>
        {storedCount > 1 ? (
          <button type="button" disabled={prune.isPending} onClick={() => prune.mutate({ key: systemKey })} aria-label={`Stop accepting the old webhook secret of ${name}`} className={secondaryButtonClass}>
            {prune.isPending ? "Removing…" : "Stop accepting the old secret"}
          </button>
        ) : null}
      </div>
      {message ? <p role="alert" className="text-xs text-red-700">{message}</p> : null}
      {secret ? (
        <ShownOnce title={<>New webhook secret for {name}: shown once</>} label={`New webhook secret for ${name}`} what="secret" value={secret} testId="webhook-secret" onDone={() => setSecret(null)}>
          Paste it into {name}&apos;s webhook settings now. It is stored encrypted and cannot be shown again; the previous secret keeps working until you stop accepting it.
        </ShownOnce>
      ) : null}
    </div>
  );
}
