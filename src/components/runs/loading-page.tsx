/** What a console page shows while its data loads: its title and a quiet placeholder, announced politely. */
export function LoadingPage({ title }: { title: string }) {
  return (
    <div role="status" aria-live="polite" aria-busy="true">
      <h1 className="text-2xl font-semibold tracking-tight text-zinc-900">{title}</h1>
      <p className="mt-1 text-sm text-zinc-600">Loading…</p>
      <div aria-hidden="true" className="mt-6 space-y-3">
        {[0, 1, 2].map((i) => (
          <div key={i} className="h-16 animate-pulse rounded-lg bg-zinc-100" />
        ))}
      </div>
    </div>
  );
}
