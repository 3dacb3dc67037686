"use client";

import { useState } from "react";
import { secondaryButtonClass } from "../styles";

/** The generated password, shown once: it is not stored in clear and cannot be shown again. */
export function TemporaryPassword({ email, password, onDone }: { email: string; password: string; onDone: () => void }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(password);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }

  return (
    <section aria-labelledby="temp-password-title" className="rounded-lg border-2 border-amber-400 bg-amber-50 p-4" role="status">
      <h3 id="temp-password-title" className="text-sm font-semibold text-amber-900">
        Temporary password for {email}
      </h3>
      <p className="mt-1 text-sm text-amber-900">
        Copy it now and pass it on securely. It is shown only this once and cannot be retrieved later; they can change it under
        Settings → Your password.
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <code data-testid="temporary-password" className="rounded border border-amber-300 bg-white px-3 py-1.5 font-mono text-sm break-all select-all">
          {password}
        </code>
        <button type="button" onClick={copy} className={secondaryButtonClass}>
          Copy password
        </button>
        <button type="button" onClick={onDone} className={secondaryButtonClass}>
          Done, hide it
        </button>
      </div>
      <p className="mt-2 text-xs text-amber-900" aria-live="polite">
        {copied === "yes" ? "Copied to the clipboard." : copied === "failed" ? "Copying is blocked here: select the password and copy it by hand." : ""}
      </p>
    </section>
  );
}
