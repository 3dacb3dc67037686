"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "~/trpc/react";
import { describeError, FieldError, FormAlert } from "../form-errors";
import { inputClass, labelClass, primaryButtonClass, selectClass } from "../styles";

type Scope = "fleet" | "vessel" | "range";

/**
 * Onboarding Portal → Maintenance Portal in one go: the whole fleet (companies, vessels, equipment, users,
 * parents first), one vessel with its company, equipment and users, or what changed in a date range.
 */
export function FleetSyncForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [scope, setScope] = useState<Scope>("vessel");
  const sync = useMutation(trpc.fleet.sync.mutationOptions({ onSuccess: (r) => router.push(r.runs.length ? `/runs/groups/${r.groupId}` : "/runs") }));
  const err = describeError(sync.error);
  const described = (f: string) => (err.fields[f] ? { "aria-invalid": true, "aria-describedby": `fleet-${f}-error` } : {});

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const text = (k: string) => (String(data.get(k) ?? "").trim() || undefined);
    const kind = String(data.get("kind") ?? "full");
    sync.mutate({
      scope,
      kind: kind === "dry-run" || kind === "validate" ? kind : "full",
      vessel: scope === "vessel" ? text("vessel") : undefined,
      since: scope === "range" ? text("since") : undefined,
      until: scope === "range" ? text("until") : undefined,
    });
  }

  return (
    <form onSubmit={onSubmit} aria-labelledby="fleet-sync-title" className="mb-6 space-y-3 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm sm:p-5">
      <div>
        <h2 id="fleet-sync-title" className="text-base font-semibold text-zinc-900">Sync the fleet</h2>
        <p className="mt-0.5 text-sm text-zinc-600">
          Approved Onboarding Portal data to the Maintenance Portal: one run per entity, companies first, then vessels, equipment and users.
        </p>
      </div>
      <FormAlert message={err.message} />
      <fieldset className="flex flex-wrap gap-4">
        <legend className={labelClass}>What to sync</legend>
        {(
          [
            ["vessel", "One vessel"],
            ["range", "Changed in a date range"],
            ["fleet", "The whole fleet"],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className="mt-1 flex items-center gap-2 text-sm text-zinc-800">
            <input type="radio" name="scope" value={value} checked={scope === value} onChange={() => setScope(value)} />
            {label}
          </label>
        ))}
      </fieldset>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-[auto_auto_1fr] sm:items-end">
        {scope === "vessel" && (
          <div>
            <label htmlFor="fleet-vessel" className={labelClass}>Vessel (IMO number or Onboarding Portal id)</label>
            <input id="fleet-vessel" name="vessel" required className={`${inputClass} mt-1 w-full sm:w-72`} {...described("vessel")} />
            <FieldError id="fleet-vessel-error" message={err.fields.vessel} />
          </div>
        )}
        {scope === "range" && (
          <>
            <div>
              <label htmlFor="fleet-since" className={labelClass}>Changed from</label>
              <input id="fleet-since" name="since" type="date" className={`${inputClass} mt-1`} {...described("since")} />
              <FieldError id="fleet-since-error" message={err.fields.since} />
            </div>
            <div>
              <label htmlFor="fleet-until" className={labelClass}>Changed until</label>
              <input id="fleet-until" name="until" type="date" className={`${inputClass} mt-1`} {...described("until")} />
              <FieldError id="fleet-until-error" message={err.fields.until} />
            </div>
          </>
        )}
        {scope === "fleet" && (
          <div>
            <label htmlFor="fleet-kind" className={labelClass}>Kind</label>
            <select id="fleet-kind" name="kind" defaultValue="full" className={`${selectClass} mt-1 w-full sm:w-56`} {...described("kind")}>
              <option value="full">Full sync</option>
              <option value="dry-run">Dry run (changes nothing)</option>
              <option value="validate">Validate only (writes nothing)</option>
            </select>
            <FieldError id="fleet-kind-error" message={err.fields.kind} />
          </div>
        )}
        <div>
          <button type="submit" disabled={sync.isPending || sync.isSuccess} className={primaryButtonClass}>
            {sync.isPending || sync.isSuccess ? "Starting…" : "Start fleet sync"}
          </button>
        </div>
      </div>
    </form>
  );
}
