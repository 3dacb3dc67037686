import type { Metadata } from "next";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";

export const metadata: Metadata = { title: "Deliveries" };

export default function Page() {
  return (
    <>
      <PageHeader title="Deliveries" description="Each change Concord sends to a system, and whether the system accepted it." />
      <EmptyState
        title="No deliveries yet"
        description="A delivery appears here when a sync run sends a change to a system. It shows the system's answer, the number of attempts and, when it failed, when Concord will try again."
      />
    </>
  );
}
