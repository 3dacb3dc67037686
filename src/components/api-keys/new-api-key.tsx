"use client";

import { useState } from "react";
import { secondaryButtonClass } from "../styles";

/** The new key, shown this once: only its hash is stored, and it lives only in the form's state (a reload forgets it). */
export function NewApiKey({ name, apiKey, onDone }: { name: string; apiKey: string; onDone: () => void }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(apiKey);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }

  return (
    <section aria-labelledby="new-api-key-title" role="status" className="rounded-lg border-2 border-amber-400 bg-amber-50 p-4">
      <h3 id="new-api-key-title" className="text-sm font-semibold text-amber-900">
        New API key “{name}”: shown once
      </h3>
      <p className="mt-1 text-sm text-amber-900">
        Copy it now into the tool that will use it (as <code>Authorization: Bearer …</code>). Concord keeps only a hash: it cannot be shown again.
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <code data-testid="new-api-key" className="min-w-0 rounded border border-amber-300 bg-white px-3 py-1.5 font-mono text-sm break-all select-all">
          {apiKey}
        </code>
        <button type="button" onClick={copy} className={secondaryButtonClass}>
          Copy key
        </button>
        <button type="button" onClick={onDone} className={secondaryButtonClass}>
          Done, hide it
        </button>
      </div>
      <p className="mt-2 text-xs text-amber-900" aria-live="polite">
        {copied === "yes" ? "Copied to the clipboard." : copied === "failed" ? "Copying is blocked here: select the key and copy it by hand." : ""}
      </p>
    </section>
  );
}
