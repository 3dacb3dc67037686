import type { Metadata } from "next";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";

export const metadata: Metadata = { title: "Runs" };

export default function Page() {
  return (
    <>
      <PageHeader title="Runs" description="Every sync run: what started it, how long it took and what happened to each item." />
      <EmptyState
        title="No sync runs yet"
        description="A run appears here when an admin starts one, a schedule fires, or a webhook arrives; it shows counts and per-item outcomes."
      />
    </>
  );
}
