"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { TWebhookEventView } from "~/server/services/webhooks/list-webhook-events";
import { useTRPC } from "~/trpc/react";
import { formatDuration } from "../console/format";
import { DateTime } from "../date-time";
import { describeError } from "../form-errors";
import { secondaryButtonClass } from "../styles";
import { TableHead, TableRegion, tdClass } from "../table-region";

/** Stored webhook events of one system that did not apply, with their attempts; admins replay or dismiss each. */
export function WebhookEventsTable({ events, systemName, canManage }: { events: TWebhookEventView[]; systemName: string; canManage: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const settle = useMutation(trpc.webhooks.settle.mutationOptions({ onSettled: () => router.refresh() }));
  const message = describeError(settle.error).message;
  const busy = settle.isPending;
  const columns = ["Event", "Status", "Last error and attempts", ...(canManage ? ["Action"] : [])];

  return (
    <div className="space-y-2">
      <TableRegion label={`Webhook events from ${systemName} that did not apply`}>
        <table className="min-w-full divide-y divide-zinc-200">
          <TableHead columns={columns} />
          <tbody className="divide-y divide-zinc-100">
            {events.map((e) => (
              <tr key={e.id}>
                <td className={`${tdClass} min-w-[11rem]`}>
                  <span className="tabular-nums">#{e.id}</span>{" "}
                  {e.type ? <span className="font-mono text-xs">{e.type}</span> : <span className="text-zinc-500">unreadable body</span>}
                  {e.documentId ? <span className="block text-xs text-zinc-600">document {e.documentId}</span> : null}
                  <span className="block text-xs text-zinc-600">received <DateTime value={e.receivedAt} /></span>
                </td>
                <td className={`${tdClass} min-w-[10rem]`}>
                  {e.status === "failed" ? (
                    <span className="font-medium text-red-800">Failed: out of retries</span>
                  ) : (
                    <span className="font-medium text-amber-900">
                      Retrying{e.nextTryAt ? <span className="block text-xs font-normal">next at <DateTime value={e.nextTryAt} /></span> : null}
                    </span>
                  )}
                </td>
                <td className={`${tdClass} max-w-md min-w-[16rem]`}>
                  <p className="text-red-800 [overflow-wrap:anywhere]">{e.error ?? "—"}</p>
                  <details className="mt-1">
                    <summary className="cursor-pointer text-xs text-zinc-700 tabular-nums">{e.attempts.length === 1 ? "1 attempt" : `${e.attempts.length} attempts`}</summary>
                    <ol className="mt-1 space-y-1 text-xs text-zinc-700">
                      {e.attempts.map((a, i) => (
                        <li key={i}>
                          <DateTime value={a.at} />: {a.outcome}, after {formatDuration(a.durationMs)}. <span className="[overflow-wrap:anywhere]">{a.error}</span>
                        </li>
                      ))}
                    </ol>
                  </details>
                </td>
                {canManage ? (
                  <td className={`${tdClass} whitespace-nowrap`}>
                    <div className="flex gap-2">
                      {(["Replay", "Dismiss"] as const).map((verb) => (
                        <button key={verb} type="button" disabled={busy} onClick={() => settle.mutate({ ids: [e.id], action: verb === "Replay" ? "replay" : "dismiss" })} className={secondaryButtonClass} aria-label={`${verb} event #${e.id}`}>
                          {verb}
                        </button>
                      ))}
                    </div>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      {message ? <p role="alert" className="text-sm text-red-700">{message}</p> : null}
      {settle.data ? (
        <p role="status" className="text-sm text-green-800">
          {settle.variables?.action === "replay" ? `Event #${settle.data.settled.join(", #")} goes back to the inbox now.` : `Event #${settle.data.settled.join(", #")} dismissed: it stays unapplied.`}
        </p>
      ) : null}
    </div>
  );
}
