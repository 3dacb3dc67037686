"use client";

import { ShownOnce } from "../shown-once";

/** The generated password, shown once: it is not stored in clear and cannot be shown again. */
export function TemporaryPassword({ email, password, onDone }: { email: string; password: string; onDone: () => void }) {
  return (
    <ShownOnce title={<>Temporary password for {email}</>} label={`Temporary password for ${email}`} what="password" value={password} testId="temporary-password" onDone={onDone}>
      Copy it now and pass it on securely. It is shown only this once and cannot be retrieved later; they can change it under Settings → Your password.
    </ShownOnce>
  );
}
