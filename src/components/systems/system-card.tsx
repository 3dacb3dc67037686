import Link from "next/link";
import type { ReactNode } from "react";
import type { TSystemView } from "~/server/services/systems/system-view";
import { formatDelays, formatDuration } from "../console/format";
import { StatusBadge } from "../console/status-badge";
import { DateTime } from "../date-time";
import { CredentialForm } from "./credential-form";
import { EnabledToggle } from "./enabled-toggle";
import { SystemSettingsForm } from "./system-settings-form";
import { WebhookSecretControl } from "./webhook-secret-control";

const DELIVERY_ORDER = ["pending", "in_flight", "retrying", "dead", "succeeded", "superseded", "cancelled"] as const;

function EnvTag() {
  return <span className="ml-1.5 rounded bg-indigo-50 px-1.5 py-0.5 text-xs font-medium text-indigo-800">from env</span>;
}

function Fact({ term, wide, children }: { term: string; wide?: boolean; children: ReactNode }) {
  return (
    <div className={`min-w-0 ${wide ? "col-span-2 sm:col-span-1" : ""}`}>
      <dt className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">{term}</dt>
      <dd className="mt-0.5 text-sm text-zinc-900 [overflow-wrap:anywhere]">{children}</dd>
    </div>
  );
}

const none = (text: string) => <span className="text-zinc-500">{text}</span>;

/** One system (on its own page): how it is connected, what is waiting for it, and (for admins) the controls to change that. */
export function SystemCard({ system: s, canManage }: { system: TSystemView; canManage: boolean }) {
  const titleId = `system-${s.key}-title`;
  const paused = s.pausedUntil && s.pausedUntil > new Date() ? s.pausedUntil : null;
  return (
    <article aria-labelledby={titleId} data-system={s.key} className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm sm:p-6">
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h2 id={titleId} className="text-lg font-semibold text-zinc-900">
          {s.name}
        </h2>
        <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-700">{s.key}</code>
        <StatusBadge status={s.enabled ? "enabled" : "disabled"} />
        {paused ? (
          <span className="text-xs text-amber-900">
            Paused after repeated failures until <DateTime value={paused} />
          </span>
        ) : null}
      </header>

      {s.secretsUnreadable ? (
        <p role="alert" className="mt-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          A stored secret of this system cannot be decrypted (the encryption key changed). Set the credential and rotate the webhook secret again.
        </p>
      ) : null}

      <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-3 lg:grid-cols-3">
        <Fact term="Base URL" wide>
          {s.baseUrl ? <span className="font-mono text-xs">{s.baseUrl}</span> : none("Not set: runs and deliveries fail until it is")}
          {s.fromEnv.url ? <EnvTag /> : null}
        </Fact>
        <Fact term="Credential" wide>
          {s.authSet ? <span className="font-mono text-xs">{s.authMasked}</span> : none("Not set")}
          {s.fromEnv.auth ? <EnvTag /> : null}
        </Fact>
        <Fact term="Connector">{s.connector}</Fact>
        <Fact term="Rate limit">{s.rateLimitPerSecond} requests/s</Fact>
        <Fact term="Timeout">{formatDuration(s.timeoutMs)}</Fact>
        <Fact term="Retry schedule" wide>
          {formatDelays(s.retrySchedule.delaysSeconds)}
          <span className="text-zinc-500"> (±{Math.round(s.retrySchedule.jitter * 100)} %)</span>
        </Fact>
        <Fact term="Webhook secrets" wide>
          {s.webhookSecretsCount === 0 ? none("None stored") : `${s.webhookSecretsCount} stored${s.webhookSecretsCount > 1 ? " (rotation under way)" : ""}`}
          {s.fromEnv.webhookSecret ? (
            <>
              , plus one <EnvTag />
            </>
          ) : null}
        </Fact>
        <Fact term="Deliveries" wide>
          <ul className="flex flex-wrap gap-x-3 gap-y-0.5" aria-label={`Deliveries to ${s.name} by status`}>
            {DELIVERY_ORDER.map((status) => (
              <li key={status} className={s.deliveries[status] ? "" : "text-zinc-500"}>
                {s.deliveries[status] ? (
                  <Link href={`/deliveries?system=${encodeURIComponent(s.key)}&status=${status}`} className="underline-offset-4 hover:underline">
                    {status.replace("_", " ")} <span className="font-semibold tabular-nums">{s.deliveries[status]}</span>
                  </Link>
                ) : (
                  <>
                    {status.replace("_", " ")} <span className="font-semibold tabular-nums">0</span>
                  </>
                )}
              </li>
            ))}
          </ul>
        </Fact>
        <Fact term="Settings changed" wide>
          <DateTime value={s.updatedAt} />
        </Fact>
      </dl>

      {canManage ? (
        <div className="mt-5 space-y-4 border-t border-zinc-200 pt-4">
          <div className="flex flex-col gap-4 sm:flex-row sm:flex-wrap sm:items-start">
            <EnabledToggle systemKey={s.key} name={s.name} enabled={s.enabled} />
            <WebhookSecretControl systemKey={s.key} name={s.name} storedCount={s.webhookSecretsCount} />
          </div>
          <details className="group rounded-md border border-zinc-200">
            <summary className="cursor-pointer px-3 py-2 text-sm font-medium text-indigo-700 hover:text-indigo-900">
              Edit connection settings and credential
            </summary>
            <div className="grid grid-cols-1 gap-6 border-t border-zinc-200 p-3 sm:p-4 lg:grid-cols-2">
              <SystemSettingsForm system={s} />
              <CredentialForm systemKey={s.key} name={s.name} authSet={s.authSet} fromEnv={s.fromEnv.auth} />
            </div>
          </details>
        </div>
      ) : null}
    </article>
  );
}
