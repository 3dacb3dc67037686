"use client";

import { useState, type ReactNode } from "react";
import { secondaryButtonClass } from "./styles";

/**
 * A secret shown this once (a new API key, a temporary password, a rotated webhook secret): it lives only
 * in the caller's state, so a reload forgets it. Copy button, "Done, hide it", and a plain fallback
 * when the clipboard is blocked.
 */
export function ShownOnce(props: { title: ReactNode; label: string; what: string; value: string; testId: string; onDone: () => void; children: ReactNode }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(props.value);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }

  return (
    <section aria-label={props.label} role="status" className="rounded-lg border-2 border-amber-400 bg-amber-50 p-4">
      <h3 className="text-sm font-semibold text-amber-900">{props.title}</h3>
      <p className="mt-1 text-sm text-amber-900">{props.children}</p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <code data-testid={props.testId} className="min-w-0 rounded border border-amber-300 bg-white px-3 py-1.5 font-mono text-sm break-all select-all">
          {props.value}
        </code>
        <button type="button" onClick={copy} className={secondaryButtonClass}>
          Copy {props.what}
        </button>
        <button type="button" onClick={props.onDone} className={secondaryButtonClass}>
          Done, hide it
        </button>
      </div>
      <p className="mt-2 text-xs text-amber-900" aria-live="polite">
        {copied === "yes" ? "Copied to the clipboard." : copied === "failed" ? `Copying is blocked here: select the ${props.what} and copy it by hand.` : ""}
      </p>
    </section>
  );
}
