"use client";

import Link from "next/link";
import { useEffect } from "react";
import { linkClass, primaryButtonClass } from "~/components/styles";

export default function AdminError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;

  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-white px-6 py-10 sm:px-10">
      <h1 className="text-xl font-semibold tracking-tight text-zinc-900">This page could not be loaded</h1>
      <p className="mt-2 max-w-xl text-sm text-zinc-600">
        Something went wrong on the server while loading this page. Nothing was changed. Try again; if it keeps happening, give an
        administrator the reference below so they can find the details in the server log.
      </p>
      {digest ? (
        <p className="mt-3 text-xs text-zinc-500">
          Reference: <code className="font-mono">{digest}</code>
        </p>
      ) : null}
      <div className="mt-6 flex flex-wrap items-center gap-4">
        <button type="button" onClick={() => retry()} className={primaryButtonClass}>
          Try again
        </button>
        <Link href="/" className={linkClass}>
          Go to the overview
        </Link>
      </div>
    </div>
  );
}
