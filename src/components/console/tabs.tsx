import Link from "next/link";

/** Links that look like tabs (each is its own URL, so the choice can be bookmarked). */
export function LinkTabs({ label, tabs }: { label: string; tabs: { href: string; label: string; current: boolean }[] }) {
  return (
    <nav aria-label={label} className="mb-4 border-b border-zinc-200">
      <ul className="-mb-px flex flex-wrap gap-x-1">
        {tabs.map((t) => (
          <li key={t.href}>
            <Link
              href={t.href}
              aria-current={t.current ? "page" : undefined}
              className={`inline-block border-b-2 px-3 py-2 text-sm font-medium ${
                t.current ? "border-indigo-700 text-indigo-800" : "border-transparent text-zinc-600 hover:border-zinc-300 hover:text-zinc-900"
              }`}
            >
              {t.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
