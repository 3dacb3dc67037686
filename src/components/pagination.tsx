import Link from "next/link";

/** Previous / Next links that keep the current filters; "Page X of Y" in between. */
export function Pagination({ page, totalPages, hrefFor }: { page: number; totalPages: number; hrefFor: (page: number) => string }) {
  const link = "rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium text-zinc-800 hover:bg-zinc-100";
  const off = "rounded-md border border-zinc-200 px-3 py-1.5 text-sm text-zinc-400";
  return (
    <nav aria-label="Pagination" className="mt-4 flex items-center justify-between gap-3">
      {page > 1 ? (
        <Link href={hrefFor(page - 1)} className={link} rel="prev">
          Previous
        </Link>
      ) : (
        <span className={off} aria-hidden="true">
          Previous
        </span>
      )}
      <p className="text-sm text-zinc-600">
        Page {page} of {totalPages}
      </p>
      {page < totalPages ? (
        <Link href={hrefFor(page + 1)} className={link} rel="next">
          Next
        </Link>
      ) : (
        <span className={off} aria-hidden="true">
          Next
        </span>
      )}
    </nav>
  );
}
