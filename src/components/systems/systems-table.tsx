import Link from "next/link";
import type { TSystemView } from "~/server/services/systems/system-view";
import { StatusBadge } from "../console/status-badge";
import { DateTime } from "../date-time";
import { TableHead, TableRegion, tdClass } from "../table-region";

const WAITING = ["pending", "retrying", "in_flight"] as const;
const muted = "block text-xs text-zinc-500";
const envTag = <span className="ml-1 rounded bg-indigo-50 px-1 text-xs font-medium text-indigo-800">from env</span>;

/**
 * Every system on one line: whether it is on, how it is reached, what waits for it. Each name opens the
 * system's own page, where its settings, connection test, field ownership and schedules are.
 */
export function SystemsTable({ systems }: { systems: TSystemView[] }) {
  const now = new Date();
  return (
    <TableRegion label="Systems">
      <table className="min-w-full divide-y divide-zinc-200">
        <TableHead columns={["System", "Status", "Reached at", "Webhooks", "Deliveries"]} />
        <tbody className="divide-y divide-zinc-100">
          {systems.map((s) => {
            const q = encodeURIComponent(s.key);
            const waiting = WAITING.reduce((n, k) => n + (s.deliveries[k] ?? 0), 0);
            const dead = s.deliveries.dead ?? 0;
            const paused = s.pausedUntil && s.pausedUntil > now ? s.pausedUntil : null;
            return (
              <tr key={s.key} data-system={s.key}>
                <th scope="row" className={`${tdClass} text-left font-normal`}>
                  <Link href={`/systems/${q}`} className="font-medium text-indigo-700 underline-offset-4 hover:underline">{s.name}</Link>
                  <span className={muted}>{s.connector}</span>
                </th>
                <td className={tdClass}>
                  <StatusBadge status={s.enabled ? "enabled" : "disabled"} />
                  {paused ? <span className={`${muted} text-amber-900`}>paused until <DateTime value={paused} /></span> : null}
                  {s.secretsUnreadable ? <span className="block text-xs text-amber-900">a stored secret cannot be decrypted</span> : null}
                </td>
                <td className={`${tdClass} max-w-[22rem]`}>
                  {s.baseUrl ? <span className="font-mono text-xs [overflow-wrap:anywhere]">{s.baseUrl}</span> : <span className="text-zinc-500">No URL set</span>}
                  {s.fromEnv.url ? envTag : null}
                  <span className={muted}>credential {s.authSet ? "set" : "not set"}{s.fromEnv.auth ? " (from env)" : ""}</span>
                </td>
                <td className={`${tdClass} text-zinc-700`}>
                  {s.webhookSecretsCount === 0 && !s.fromEnv.webhookSecret ? <span className="text-zinc-500">no secret</span> : null}
                  {s.webhookSecretsCount > 0 ? `${s.webhookSecretsCount} secret${s.webhookSecretsCount > 1 ? "s" : ""} stored` : null}
                  {s.fromEnv.webhookSecret ? <span className={s.webhookSecretsCount > 0 ? muted : ""}>{s.webhookSecretsCount > 0 ? "plus one from env" : "secret from env"}</span> : null}
                </td>
                <td className={`${tdClass} whitespace-nowrap`}>
                  <Link href={`/deliveries?system=${q}`} className="underline-offset-4 hover:underline">
                    <span className="font-semibold tabular-nums">{waiting}</span> waiting
                  </Link>
                  {dead ? (
                    <Link href={`/deliveries?system=${q}&status=dead`} className="block text-xs font-medium text-red-700 underline-offset-4 hover:underline">
                      {dead} dead
                    </Link>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableRegion>
  );
}
