import type { Metadata } from "next";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";

export const metadata: Metadata = { title: "Systems" };

export default function Page() {
  return (
    <>
      <PageHeader title="Systems" description="The external systems Concord keeps in agreement, and how each one is connected." />
      <EmptyState
        title="No systems connected yet"
        description="A system appears here once it is connected to Concord with its connector and credentials. Each one shows its connection health, the record types it syncs and when it last synced."
      />
    </>
  );
}
