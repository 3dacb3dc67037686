import type { Metadata } from "next";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { SystemCard } from "~/components/systems/system-card";
import { serverCaller } from "~/trpc/server";
import { requireSession } from "../session";

export const metadata: Metadata = { title: "Systems" };

export default async function SystemsPage() {
  const session = await requireSession();
  const isAdmin = session.user.role === "admin";
  const systems = await (await serverCaller()).systems.list();

  return (
    <>
      <PageHeader
        title="Systems"
        description={
          isAdmin
            ? "The external systems Concord keeps in agreement and how each one is connected. Secrets are write-only: only whether one is set, and a mask, ever comes back."
            : "The external systems Concord keeps in agreement and how each one is connected. Only admins can change these settings."
        }
      />
      {systems.length > 0 ? (
        <div className="space-y-6">
          {systems.map((s) => (
            <SystemCard key={s.key} system={s} canManage={isAdmin} />
          ))}
        </div>
      ) : (
        <EmptyState
          title="No systems configured"
          description="Concord's sync configuration names no systems, so there is nothing to connect. Systems are defined in the configuration that ships with Concord."
        />
      )}
    </>
  );
}
