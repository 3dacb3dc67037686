import { signOutAction } from "~/app/(admin)/actions";

/** Who is signed in, their role, and the way out. */
export function UserBox({ email, role }: { email: string; role: "admin" | "viewer" }) {
  return (
    <div className="space-y-3">
      <div className="min-w-0">
        <p className="truncate text-sm font-medium text-zinc-900" title={email}>
          {email}
        </p>
        <p className="text-xs text-zinc-500">
          Signed in as <span className="font-medium text-zinc-700">{role}</span>
        </p>
      </div>
      <form action={signOutAction}>
        <button
          type="submit"
          className="w-full rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium text-zinc-800 hover:bg-zinc-100"
        >
          Sign out
        </button>
      </form>
    </div>
  );
}
