import type { Metadata } from "next";
import { PageHeader } from "~/components/page-header";
import { ChangePasswordForm } from "~/components/settings/change-password-form";
import { CreateUserForm } from "~/components/settings/create-user-form";
import { UsersTable } from "~/components/settings/users-table";
import { serverCaller } from "~/trpc/server";
import { requireSession } from "../session";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const session = await requireSession();
  const isAdmin = session.user.role === "admin";
  const users = await (await serverCaller()).users.list();

  return (
    <>
      <PageHeader title="Settings" description="Who can use Concord and what they may do, and your own password." />

      <section aria-labelledby="users-title" className="space-y-4">
        <div>
          <h2 id="users-title" className="text-lg font-semibold text-zinc-900">Admin users</h2>
          <p className="mt-1 text-sm text-zinc-600">
            {isAdmin
              ? "Admins manage users and syncs; viewers can look at everything but change nothing. Disabling a user ends their sessions."
              : "The people who can sign in to Concord. Only admins can add users or change roles; ask one if something here needs to change."}
          </p>
        </div>
        <UsersTable users={users} canManage={isAdmin} currentUserId={session.user.id} />
        {isAdmin ? <CreateUserForm /> : null}
      </section>

      <section aria-labelledby="password-title" className="mt-10 space-y-4">
        <div>
          <h2 id="password-title" className="text-lg font-semibold text-zinc-900">Your password</h2>
          <p className="mt-1 text-sm text-zinc-600">
            Changing it signs you out everywhere, this browser included; then sign in with the new one.
          </p>
        </div>
        <ChangePasswordForm />
      </section>
    </>
  );
}
