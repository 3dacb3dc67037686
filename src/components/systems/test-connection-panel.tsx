"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTRPC } from "~/trpc/react";
import { formatDuration } from "../console/format";
import { describeError } from "../form-errors";
import { secondaryButtonClass } from "../styles";

const STEP_LABEL: Record<string, string> = { reachability: "Reachability", authentication: "Authentication", read: "Reading a record", create: "Creating a probe record", delete: "Deleting the probe record" };

/**
 * Tests the connection step by step and shows the report: what passed, what failed and why. Reading changes
 * nothing, so anyone signed in may run it; admins may also create and delete a probe record (audited).
 */
export function TestConnectionPanel({ systemKey, name, canProbeWrite }: { systemKey: string; name: string; canProbeWrite: boolean }) {
  const trpc = useTRPC();
  const [probeWrite, setProbeWrite] = useState(false);
  const test = useMutation(trpc.systems.testConnection.mutationOptions());
  const message = describeError(test.error).message;
  const id = useId();
  const r = test.data;

  return (
    <div className="space-y-3">
      {canProbeWrite ? (
        <div className="flex items-start gap-2">
          <input id={`${id}-write`} type="checkbox" checked={probeWrite} onChange={(e) => setProbeWrite(e.target.checked)} aria-describedby={`${id}-write-hint`} className="mt-0.5 h-4 w-4 rounded border-zinc-300 text-indigo-700" />
          <div>
            <label htmlFor={`${id}-write`} className="text-sm font-medium text-zinc-800">Also create and delete a probe record</label>
            <p id={`${id}-write-hint`} className="text-xs text-zinc-500">A record named <code>concord-probe-…</code> is created in {name}, then deleted again. Audited.</p>
          </div>
        </div>
      ) : null}
      <button type="button" disabled={test.isPending} onClick={() => test.mutate({ key: systemKey, probeWrite: canProbeWrite && probeWrite })} className={secondaryButtonClass}>
        {test.isPending ? "Testing…" : `Test connection to ${name}`}
      </button>
      {message ? <p role="alert" className="text-sm text-red-700">{message}</p> : null}
      <div role="status" aria-live="polite">
        {r ? (
          <div data-testid="connection-report" className={`rounded-md border p-3 ${r.ok ? "border-green-200 bg-green-50" : "border-red-200 bg-red-50"}`}>
            <p className={`text-sm font-semibold ${r.ok ? "text-green-900" : "text-red-900"}`}>
              {r.ok ? `${name} passed every step${r.resource ? ` (${r.resource})` : ""}.` : `${name} failed at ${(STEP_LABEL[r.steps.find((s) => !s.ok && !s.skipped)?.name ?? ""] ?? "a step").toLowerCase()}: see below.`}
            </p>
            <ol className="mt-2 space-y-1.5">
              {r.steps.map((s) => (
                <li key={s.name} data-step={s.name} className="text-sm">
                  <span className={`mr-2 inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${s.skipped ? "bg-zinc-100 text-zinc-700" : s.ok ? "bg-green-100 text-green-800" : "bg-red-100 text-red-800"}`}>
                    {s.skipped ? "not tried" : s.ok ? "passed" : "failed"}
                  </span>
                  <span className="font-medium text-zinc-900">{STEP_LABEL[s.name] ?? s.name}</span>
                  {s.status ? <span className="ml-2 font-mono text-xs text-zinc-600">HTTP {s.status}</span> : null}
                  {!s.skipped && s.durationMs ? <span className="ml-2 text-xs text-zinc-600">{formatDuration(s.durationMs)}</span> : null}
                  <span className="block text-zinc-700 [overflow-wrap:anywhere]">{s.detail}</span>
                </li>
              ))}
            </ol>
          </div>
        ) : null}
      </div>
    </div>
  );
}
