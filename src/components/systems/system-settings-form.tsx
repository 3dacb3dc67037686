"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { TSystemView } from "~/server/services/systems/system-view";
import { useTRPC } from "~/trpc/react";
import { describeError, FieldError, FormAlert } from "../form-errors";
import { inputClass, labelClass, primaryButtonClass } from "../styles";

/** "5, 25, 125" → [5, 25, 125]; null when a part is not a whole number of seconds. */
function parseDelays(text: string): number[] | null {
  const parts = text.split(",").map((p) => p.trim()).filter(Boolean);
  const nums = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
  return nums.every((n) => Number.isInteger(n) && n > 0) ? nums : null;
}

/** Base URL, rate limit, timeout and retry delays; only admins see it. */
export function SystemSettingsForm({ system: s }: { system: TSystemView }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [local, setLocal] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const update = useMutation(trpc.systems.update.mutationOptions({ onSuccess: () => { setSaved(true); router.refresh(); } }));
  const server = describeError(update.error);
  const fields = { ...server.fields, ...local };
  if (fields.retrySchedule && !fields.retryDelays) fields.retryDelays = fields.retrySchedule;

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const baseUrl = String(data.get("baseUrl") ?? "").trim();
    const delays = parseDelays(String(data.get("retryDelays") ?? ""));
    setSaved(false);
    if (!delays) {
      setLocal({ retryDelays: "Enter whole seconds separated by commas, e.g. 5, 25, 125." });
      return;
    }
    setLocal({});
    update.mutate({
      key: s.key,
      ...(baseUrl ? { baseUrl } : {}),
      rateLimitPerSecond: Number(data.get("rateLimitPerSecond")),
      timeoutMs: Number(data.get("timeoutMs")),
      retrySchedule: { delaysSeconds: delays, jitter: Number(data.get("jitterPercent")) / 100 },
    });
  }

  const id = (f: string) => `sys-${s.key}-${f}`;
  const a11y = (f: string, hint?: boolean) => ({
    id: id(f),
    name: f,
    "aria-invalid": fields[f] ? true : undefined,
    "aria-describedby": fields[f] ? `${id(f)}-error` : hint ? `${id(f)}-hint` : undefined,
  });

  return (
    <form onSubmit={onSubmit} aria-label={`Connection settings for ${s.name}`} className="min-w-0 space-y-3">
      <h3 className="text-sm font-semibold text-zinc-900">Connection settings</h3>
      <FormAlert message={local.retryDelays ? null : server.message} />
      <div>
        <label htmlFor={id("baseUrl")} className={labelClass}>Base URL</label>
        <input {...a11y("baseUrl", true)} type="text" inputMode="url" spellCheck={false} autoComplete="off" defaultValue={s.storedBaseUrl} placeholder="https://cms.example.com" className={inputClass} />
        <FieldError id={`${id("baseUrl")}-error`} message={fields.baseUrl} />
        {!fields.baseUrl ? (
          <p id={`${id("baseUrl")}-hint`} className="mt-1 text-xs text-zinc-500">
            {s.fromEnv.url ? "An environment variable sets the URL in effect; this stored one is used without it." : "The system's address, without credentials."}
          </p>
        ) : null}
      </div>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor={id("rateLimitPerSecond")} className={labelClass}>Rate limit (requests/s)</label>
          <input {...a11y("rateLimitPerSecond")} type="number" step="any" min="0.1" max="10000" required defaultValue={s.rateLimitPerSecond} className={inputClass} />
          <FieldError id={`${id("rateLimitPerSecond")}-error`} message={fields.rateLimitPerSecond} />
        </div>
        <div>
          <label htmlFor={id("timeoutMs")} className={labelClass}>Timeout (ms)</label>
          <input {...a11y("timeoutMs")} type="number" step="1" min="100" max="120000" required defaultValue={s.timeoutMs} className={inputClass} />
          <FieldError id={`${id("timeoutMs")}-error`} message={fields.timeoutMs} />
        </div>
      </div>
      <div>
        <label htmlFor={id("retryDelays")} className={labelClass}>Retry delays (seconds, comma-separated)</label>
        <input {...a11y("retryDelays", true)} type="text" spellCheck={false} autoComplete="off" defaultValue={s.retrySchedule.delaysSeconds.join(", ")} className={inputClass} />
        <FieldError id={`${id("retryDelays")}-error`} message={fields.retryDelays} />
        {!fields.retryDelays ? <p id={`${id("retryDelays")}-hint`} className="mt-1 text-xs text-zinc-500">After the last one a failing delivery is dead (replayable).</p> : null}
      </div>
      <div>
        <label htmlFor={id("jitterPercent")} className={labelClass}>Jitter (± % of each delay)</label>
        <input {...a11y("jitterPercent", true)} type="number" step="1" min="0" max="100" required defaultValue={Math.round(s.retrySchedule.jitter * 100)} className={inputClass} />
        <FieldError id={`${id("jitterPercent")}-error`} message={fields.jitterPercent} />
        {!fields.jitterPercent ? <p id={`${id("jitterPercent")}-hint`} className="mt-1 text-xs text-zinc-500">Spreads retries so failing deliveries do not all come back at once.</p> : null}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={update.isPending} className={primaryButtonClass}>
          {update.isPending ? "Saving…" : "Save settings"}
        </button>
        <p role="status" className="text-sm text-green-800">{saved && !update.isPending ? "Settings saved." : ""}</p>
      </div>
    </form>
  );
}
