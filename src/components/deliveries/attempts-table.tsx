import type { TDeliveryAttemptView } from "~/server/services/deliveries/delivery-view";
import { formatDuration } from "../console/format";
import { DateTime } from "../date-time";
import { TableRegion, tdClass, thClass } from "../table-region";

const OUTCOME_TONE: Record<string, string> = { success: "text-green-800", retry: "text-amber-900", rate_limited: "text-amber-900", dead: "text-red-800" };

/** Every HTTP request made for a delivery, oldest first, with the system's own words. */
export function AttemptsTable({ attempts }: { attempts: TDeliveryAttemptView[] }) {
  return (
    <TableRegion label="Attempts">
      <table className="min-w-full divide-y divide-zinc-200">
        <thead className="bg-zinc-50">
          <tr>
            <th scope="col" className={thClass}>Time</th>
            <th scope="col" className={thClass}>Request</th>
            <th scope="col" className={thClass}>Status</th>
            <th scope="col" className={thClass}>Outcome</th>
            <th scope="col" className={thClass}>Answer</th>
            <th scope="col" className={thClass}>Took</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {attempts.map((a) => (
            <tr key={a.id}>
              <td className={`${tdClass} text-zinc-600`}><DateTime value={a.at} /></td>
              <td className={`${tdClass} min-w-[14rem]`}>
                <span className="font-mono text-xs font-semibold">{a.method ?? "—"}</span>{" "}
                <span className="font-mono text-xs [overflow-wrap:anywhere]">{a.url ?? ""}</span>
              </td>
              <td className={`${tdClass} tabular-nums`}>{a.statusCode ?? <span className="text-zinc-500">no answer</span>}</td>
              <td className={`${tdClass} font-medium ${OUTCOME_TONE[a.outcome] ?? ""}`}>{a.outcome.replace("_", " ")}</td>
              <td className={`${tdClass} max-w-md min-w-[14rem]`}>
                {a.error ? <p className="text-red-800 [overflow-wrap:anywhere]">{a.error}</p> : null}
                {a.excerpt ? (
                  <pre className="mt-1 max-h-32 overflow-auto rounded bg-zinc-100 p-2 font-mono text-xs whitespace-pre-wrap [overflow-wrap:anywhere] text-zinc-800">{a.excerpt}</pre>
                ) : null}
                {!a.error && !a.excerpt ? <span className="text-zinc-400">—</span> : null}
              </td>
              <td className={`${tdClass} whitespace-nowrap tabular-nums`}>{formatDuration(a.durationMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
