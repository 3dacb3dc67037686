import type { Metadata } from "next";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";

export const metadata: Metadata = { title: "Overview" };

export default function Page() {
  return (
    <>
      <PageHeader title="Overview" description="Concord at a glance: the systems it keeps in agreement, the latest sync runs and anything that needs your attention." />
      <EmptyState
        title="Nothing to report yet"
        description="No systems are connected and no sync has run. Once systems are connected and syncs run, this page sums up the latest runs, failed deliveries and open conflicts."
      />
    </>
  );
}
