import type { Metadata } from "next";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";

export const metadata: Metadata = { title: "Conflicts" };

export default function Page() {
  return (
    <>
      <PageHeader title="Conflicts" description="Records whose systems disagree in a way Concord will not settle on its own." />
      <EmptyState
        title="No conflicts"
        description="A conflict appears here when two systems change the same field of a linked record to different values between runs. Each one shows both values side by side so an admin can decide which wins."
      />
    </>
  );
}
