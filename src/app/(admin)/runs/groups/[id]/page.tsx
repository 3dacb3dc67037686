import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FleetGroup } from "~/components/fleet/fleet-group";
import { TemporaryPasswords } from "~/components/fleet/temporary-passwords";
import { PageHeader } from "~/components/page-header";
import { DateTime } from "~/components/date-time";
import { linkClass } from "~/components/styles";
import { serverCaller } from "~/trpc/server";
import { isMissing } from "../../../_lib/errors";
import { requireSession } from "../../../session";

export const metadata: Metadata = { title: "Fleet sync" };

async function load(groupId: string) {
  const caller = await serverCaller();
  try {
    return await caller.fleet.group({ groupId });
  } catch (err) {
    if (isMissing(err)) notFound();
    throw err;
  }
}

/** A fleet sync's one page: each entity's reading and deliveries; done only when what it queued has arrived, died or is blocked. */
export default async function FleetGroupPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requireSession();
  const { id } = await params;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) notFound();
  const group = await load(id);
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/runs" className={linkClass}>← All runs</Link>
      </p>
      <PageHeader
        title="Fleet sync"
        description={
          <>
            Onboarding Portal → Maintenance Portal, started by {group.startedBy ?? "—"} on <DateTime value={group.createdAt} />: companies, vessels, equipment
            and users, parents first.
          </>
        }
      />
      <FleetGroup initial={group} />
      {session.user.role === "admin" ? (
        <div className="mt-6">
          {group.runs.filter((r) => r.run.entity === "user").map((r) => (
            <TemporaryPasswords key={r.run.id} runId={r.run.id} />
          ))}
        </div>
      ) : null}
    </>
  );
}
