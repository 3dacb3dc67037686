/** Shown while a Records page loads from the server. */
export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="animate-pulse space-y-4">
      <span className="sr-only">Loading records…</span>
      <div className="h-8 w-48 rounded bg-zinc-200" />
      <div className="h-4 w-full max-w-xl rounded bg-zinc-200" />
      <div className="h-64 rounded-lg border border-zinc-200 bg-white" />
    </div>
  );
}
