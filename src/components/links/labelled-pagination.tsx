import Link from "next/link";

/** Previous / Next for a second list on a page: its own label, so the page's landmarks stay distinct. */
export function LabelledPagination({ label, page, totalPages, hrefFor }: { label: string; page: number; totalPages: number; hrefFor: (page: number) => string }) {
  if (totalPages <= 1 && page <= 1) return null;
  const link = "rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium text-zinc-800 hover:bg-zinc-100";
  const off = "rounded-md border border-zinc-200 px-3 py-1.5 text-sm text-zinc-400";
  return (
    <nav aria-label={label} className="mt-4 flex items-center justify-between gap-3">
      {page > 1 ? <Link href={hrefFor(page - 1)} className={link} rel="prev">Previous</Link> : <span className={off} aria-hidden="true">Previous</span>}
      <p className="text-sm text-zinc-600">Page {page} of {totalPages}</p>
      {page < totalPages ? <Link href={hrefFor(page + 1)} className={link} rel="next">Next</Link> : <span className={off} aria-hidden="true">Next</span>}
    </nav>
  );
}
