import { requestsText } from "~/components/console/format";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { AttemptsTable } from "~/components/deliveries/attempts-table";
import { DeliveryActions } from "~/components/deliveries/delivery-actions";
import { WaitingNote } from "~/components/deliveries/waiting-note";
import { StatusBadge } from "~/components/console/status-badge";
import { DateTime } from "~/components/date-time";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { LiveRefresh } from "~/components/runs/live-refresh";
import { linkClass } from "~/components/styles";
import { serverCaller } from "~/trpc/server";
import { isMissing } from "../../_lib/errors";
import { requireSession } from "../../session";

export const metadata: Metadata = { title: "Delivery" };

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">{term}</dt>
      <dd className="mt-0.5 text-sm text-zinc-900 [overflow-wrap:anywhere]">{children}</dd>
    </div>
  );
}

async function load(id: number) {
  const caller = await serverCaller();
  try {
    return await Promise.all([caller.deliveries.get({ id }), caller.systems.list()]);
  } catch (err) {
    if (isMissing(err)) notFound();
    throw err;
  }
}

export default async function DeliveryPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requireSession();
  const { id: raw } = await params;
  const id = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || id < 1) notFound();
  const [{ delivery: d, attempts }, systems] = await load(id);
  const systemName = systems.find((s) => s.key === d.system)?.name ?? d.system;

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/deliveries" className={linkClass}>← All deliveries</Link>
      </p>
      <PageHeader title={`Delivery #${d.id}`} description={`${d.action ?? "A change"} of ${d.entity} record ${d.recordId} to ${systemName}.`} />
      {["pending", "in_flight", "retrying"].includes(d.status) ? <LiveRefresh events={["delivery"]} what="this delivery" pollMs={5000} /> : null}
      <section aria-label="Delivery status" className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm sm:p-6">
        <dl className="grid grid-cols-1 gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4">
          <Fact term="Status"><StatusBadge status={d.blocked ? "blocked" : d.status} /></Fact>
          <Fact term="System">{systemName}</Fact>
          <Fact term="Action">{d.action ?? "Decided when it is sent"}</Fact>
          <Fact term="Fields">{d.fields.length ? d.fields.join(", ") : "—"}</Fact>
          <Fact term="Requests">{requestsText(d.attemptCount, d.attempts)}{d.attempts ? " (the failed ones count toward its retries)" : ""}</Fact>
          <Fact term="Created"><DateTime value={d.createdAt} /></Fact>
          <Fact term={d.finishedAt ? "Finished" : "Next attempt"}><DateTime value={d.finishedAt ?? d.nextAttemptAt} /></Fact>
          <Fact term="Run">{d.runId ? <Link href={`/runs/${d.runId}`} className={linkClass}>Open the run</Link> : "None (webhook or admin action)"}</Fact>
          <Fact term="Record"><Link href={`/deliveries?record=${d.recordId}`} className={linkClass}>Every delivery of this record</Link></Fact>
        </dl>
        {d.waitingFor ? <p className="mt-4 text-sm text-zinc-700"><WaitingNote d={d} className="" />.</p> : null}
        {d.lastError ? (
          <div className="mt-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            <p className="font-semibold">Last error</p>
            <p className="[overflow-wrap:anywhere]">{d.lastError}</p>
          </div>
        ) : null}
        {session.user.role === "admin" ? (
          <div className="mt-4">
            <DeliveryActions id={d.id} status={d.status} />
          </div>
        ) : null}
      </section>
      <section aria-labelledby="attempts-title" className="mt-8">
        <h2 id="attempts-title" className="mb-3 text-lg font-semibold text-zinc-900">Attempts</h2>
        {attempts.length ? (
          <AttemptsTable attempts={attempts} />
        ) : (
          <EmptyState title="No attempts yet" description="No request has been made for this delivery yet. Each one will be listed here with the system's answer." />
        )}
      </section>
    </>
  );
}
