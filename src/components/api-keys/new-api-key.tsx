"use client";

import { ShownOnce } from "../shown-once";

/** The new key, shown this once: only its hash is stored, and it lives only in the form's state (a reload forgets it). */
export function NewApiKey({ name, apiKey, onDone }: { name: string; apiKey: string; onDone: () => void }) {
  return (
    <ShownOnce title={<>New API key “{name}”: shown once</>} label={`New API key ${name}`} what="key" value={apiKey} testId="new-api-key" onDone={onDone}>
      Copy it now into the tool that will use it (as <code>Authorization: Bearer …</code>). Concord keeps only a hash: it cannot be shown again.
    </ShownOnce>
  );
}
