import type { ReactNode } from "react";

/** Says plainly why a list is empty, what will appear here and how it gets there. */
export function EmptyState({ title, description, children }: { title: string; description: ReactNode; children?: ReactNode }) {
  return (
    <section
      aria-label={title}
      className="rounded-lg border border-dashed border-zinc-300 bg-white px-6 py-10 text-center sm:px-10 sm:py-14"
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" className="mx-auto h-10 w-10 text-zinc-300" fill="none" stroke="currentColor" strokeWidth="1.5">
        <path d="M3.75 9.75h16.5m-16.5 0V18a2.25 2.25 0 0 0 2.25 2.25h12A2.25 2.25 0 0 0 20.25 18V9.75m-16.5 0 1.9-4.27A2.25 2.25 0 0 1 7.7 4.15h8.6a2.25 2.25 0 0 1 2.05 1.33l1.9 4.27M9 13.5h6" />
      </svg>
      <h2 className="mt-4 text-base font-semibold text-zinc-900">{title}</h2>
      <p className="mx-auto mt-2 max-w-xl text-sm text-zinc-600">{description}</p>
      {children ? <div className="mt-6">{children}</div> : null}
    </section>
  );
}
