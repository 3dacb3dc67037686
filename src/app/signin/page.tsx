import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "~/components/signin-form";
import { auth } from "~/server/auth";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (await auth()) redirect("/");
  const { callbackUrl, changed } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <p className="text-center text-lg font-semibold tracking-tight text-indigo-700">Concord</p>
        <div className="mt-4 rounded-lg border border-zinc-200 bg-white p-6 shadow-sm sm:p-8">
          <h1 className="text-xl font-semibold tracking-tight">Sign in</h1>
          <p className="mt-1 mb-6 text-sm text-zinc-600">Sign in to watch and steer syncs between your systems.</p>
          {changed === "password" ? (
            <p role="status" className="mb-5 rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">
              Password changed. Sign in again with the new password.
            </p>
          ) : null}
          <SignInForm callbackUrl={typeof callbackUrl === "string" ? callbackUrl : "/"} />
        </div>
        <p className="mt-4 text-center text-xs text-zinc-500">No account? Ask a Concord admin to create one for you.</p>
      </div>
    </main>
  );
}
