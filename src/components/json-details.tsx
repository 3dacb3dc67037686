function compact(value: unknown): string {
  if (value === null || value === undefined) return "(nothing)";
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Before → after of an audited change, folded away until asked for. */
export function JsonDetails({ before, after }: { before: unknown; after: unknown }) {
  if ((before === null || before === undefined) && (after === null || after === undefined)) {
    return <span className="text-zinc-400">—</span>;
  }
  return (
    <details className="max-w-md open:min-w-[18rem]">
      <summary className="cursor-pointer whitespace-nowrap text-sm font-medium text-indigo-700 hover:text-indigo-900">Before → after</summary>
      <dl className="mt-2 space-y-2 text-xs">
        <div>
          <dt className="font-semibold text-zinc-500">Before</dt>
          <dd>
            <pre className="mt-0.5 rounded bg-zinc-100 p-2 font-mono whitespace-pre-wrap [overflow-wrap:anywhere] text-zinc-800">{compact(before)}</pre>
          </dd>
        </div>
        <div>
          <dt className="font-semibold text-zinc-500">After</dt>
          <dd>
            <pre className="mt-0.5 rounded bg-zinc-100 p-2 font-mono whitespace-pre-wrap [overflow-wrap:anywhere] text-zinc-800">{compact(after)}</pre>
          </dd>
        </div>
      </dl>
    </details>
  );
}
