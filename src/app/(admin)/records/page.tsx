import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { linkClass } from "~/components/styles";

export const metadata: Metadata = { title: "Records" };

export default function Page() {
  return (
    <>
      <PageHeader title="Records" description="Business records (industries today; companies, vessels and more later) as Concord knows them, with each system's copy." />
      <EmptyState
        title="The record browser is not here yet"
        description="Concord already keeps records and syncs them, but browsing them here comes with a later version of the console. This page does not mean there are no records."
      >
        <p className="text-sm text-zinc-600">
          Meanwhile: see what each sync read and changed on{" "}
          <Link href="/runs" className={linkClass}>Runs</Link>, what was sent to each system on{" "}
          <Link href="/deliveries" className={linkClass}>Deliveries</Link>, and which records are matched across systems on{" "}
          <Link href="/links" className={linkClass}>Links</Link>.
        </p>
      </EmptyState>
    </>
  );
}
