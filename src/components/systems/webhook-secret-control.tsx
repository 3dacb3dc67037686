"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { describeError } from "../form-errors";
import { secondaryButtonClass } from "../styles";

/**
 * Rotating makes a new secret and keeps the previous one valid until "Stop accepting the old secret".
 * The new secret is shown here once: it lives only in this component's state, so a reload forgets it.
 */
export function WebhookSecretControl({ systemKey, name, storedCount }: { systemKey: string; name: string; storedCount: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [secret, setSecret] = useState<string | null>(null);
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const rotate = useMutation(trpc.systems.rotateWebhookSecret.mutationOptions({ onSuccess: (r) => { setSecret(r.secret); setCopied(null); router.refresh(); } }));
  const prune = useMutation(trpc.systems.removeOldWebhookSecrets.mutationOptions({ onSuccess: () => router.refresh() }));
  const message = describeError(rotate.error ?? prune.error).message;

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret ?? "");
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }

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
        <section aria-label={`New webhook secret for ${name}`} role="status" className="rounded-lg border-2 border-amber-400 bg-amber-50 p-3">
          <h3 className="text-sm font-semibold text-amber-900">New webhook secret for {name}: shown once</h3>
          <p className="mt-1 text-sm text-amber-900">
            Paste it into {name}&apos;s webhook settings now. It is stored encrypted and cannot be shown again; the previous secret keeps working until you stop accepting it.
          </p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code data-testid="webhook-secret" className="min-w-0 rounded border border-amber-300 bg-white px-3 py-1.5 font-mono text-sm break-all select-all">
              {secret}
            </code>
            <button type="button" onClick={copy} className={secondaryButtonClass}>Copy secret</button>
            <button type="button" onClick={() => setSecret(null)} className={secondaryButtonClass}>Done, hide it</button>
          </div>
          <p className="mt-1 text-xs text-amber-900" aria-live="polite">
            {copied === "yes" ? "Copied to the clipboard." : copied === "failed" ? "Copying is blocked here: select the secret and copy it by hand." : ""}
          </p>
        </section>
      ) : null}
    </div>
  );
}
