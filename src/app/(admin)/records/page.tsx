import type { Metadata } from "next";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";

export const metadata: Metadata = { title: "Records" };

export default function Page() {
  return (
    <>
      <PageHeader title="Records" description="Business records (industries, companies, vessels and more) as Concord knows them, with each system's copy." />
      <EmptyState
        title="No records yet"
        description="Records appear here after the first sync run reads them from a connected system. Each record shows its type, its current values and which systems hold a matching copy."
      />
    </>
  );
}
