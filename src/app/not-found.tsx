import Link from "next/link";

export const metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-screen max-w-lg flex-col justify-center px-6 py-16">
      <p className="text-sm font-semibold text-indigo-700">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight">Page not found</h1>
      <p className="mt-3 text-zinc-600">
        There is no page at this address in Concord. The link may be mistyped, or the page may have moved.
      </p>
      <p className="mt-6">
        <Link href="/" className="font-medium text-indigo-700 underline underline-offset-4 hover:text-indigo-900">
          Go to the overview
        </Link>
      </p>
    </main>
  );
}
