import type { Metadata } from "next";
import { ApiKeysTable } from "~/components/api-keys/api-keys-table";
import { CreateApiKeyForm } from "~/components/api-keys/create-api-key-form";
import { EmptyState } from "~/components/empty-state";
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
  const caller = await serverCaller();
  const [users, apiKeys] = await Promise.all([caller.users.list(), caller.apiKeys.list()]);

  return (
    <>
      <PageHeader title="Settings" description="Who can use Concord and what they may do, the API keys of internal tools, and your own password." />

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

      <section aria-labelledby="api-keys-title" className="mt-10 space-y-4">
        <div>
          <h2 id="api-keys-title" className="text-lg font-semibold text-zinc-900">API keys</h2>
          <p className="mt-1 text-sm text-zinc-600">
            Internal tools call Concord&apos;s records and runs API with a key, sent as <code>Authorization: Bearer ck_…</code>. Its scopes say what it
            may do: <code>read</code>, <code>write</code> (records), <code>run</code> (start runs).{" "}
            {isAdmin
              ? "A key is shown once, when it is created; Concord keeps only a hash of it. Revoking is immediate and final."
              : "Only admins can create or revoke keys."}
          </p>
        </div>
        {apiKeys.length > 0 ? (
          <ApiKeysTable keys={apiKeys} canManage={isAdmin} />
        ) : (
          <EmptyState
            title="No API keys yet"
            description={isAdmin ? "Create one below for each tool that needs to call Concord, with only the scopes it needs." : "An admin creates a key for each internal tool that calls Concord."}
          />
        )}
        {isAdmin ? <CreateApiKeyForm /> : null}
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
