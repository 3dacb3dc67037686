import type { Metadata } from "next";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";

export const metadata: Metadata = { title: "Links" };

export default function Page() {
  return (
    <>
      <PageHeader title="Links" description="Which record in one system is the same business record in another." />
      <EmptyState
        title="No links yet"
        description="A link appears here when a sync run matches a record in one system to its counterpart in another, for example a vessel by its IMO number. Each link shows both sides and when they last agreed."
      />
    </>
  );
}
