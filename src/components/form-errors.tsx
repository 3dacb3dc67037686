export interface ErrorInfo {
  /** What the form-level alert says; null when there is no error. */
  message: string | null;
  /** Per-field messages, shown next to the field. */
  fields: Record<string, string>;
}

export const NO_ERROR: ErrorInfo = { message: null, fields: {} };

interface ErrorData {
  zodError?: { fieldErrors?: Record<string, string[] | undefined> } | null;
  field?: string | null;
}

/** zod messages here read as the end of "must be …" ("at least 8 characters"); make them sentences. */
function sentence(msg: string): string {
  const text = /^(must|enter|please|choose)\b/i.test(msg) ? msg : `Must be ${msg}`;
  return text.charAt(0).toUpperCase() + text.slice(1).replace(/\.?$/, ".");
}

/** Turns a tRPC client error into a form-level message and per-field messages. */
export function describeError(error: { message: string; data?: unknown } | null | undefined): ErrorInfo {
  if (!error) return NO_ERROR;
  const data = (error.data ?? {}) as ErrorData;
  const fields: Record<string, string> = {};
  for (const [key, msgs] of Object.entries(data.zodError?.fieldErrors ?? {})) {
    if (msgs?.[0]) fields[key] = sentence(msgs[0]);
  }
  if (data.field) fields[data.field] = error.message;
  if (Object.keys(fields).length > 0) {
    return { message: data.zodError ? "Some fields need attention: see the messages below them." : error.message, fields };
  }
  if (!error.data && /fetch|network/i.test(error.message)) {
    return { message: "Could not reach the server. Check your connection and try again.", fields };
  }
  return { message: error.message, fields };
}

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="mt-1 text-sm text-red-700">
      {message}
    </p>
  );
}

export function FormAlert({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {message}
    </p>
  );
}
