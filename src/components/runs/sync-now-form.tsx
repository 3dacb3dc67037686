"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "~/trpc/react";
import { describeError, FieldError, FormAlert } from "../form-errors";
import { labelClass, primaryButtonClass, selectClass } from "../styles";

interface Props {
  /** Which entity lives in which system (from the sync configuration). */
  bindings: { entity: string; system: string }[];
  systems: { key: string; name: string }[];
}

/** Starts a full, incremental, dry or validation-only run of one entity from one system, then opens the run. */
export function SyncNowForm({ bindings, systems }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const entities = [...new Set(bindings.map((b) => b.entity))];
  const [entity, setEntity] = useState(entities[0] ?? "");
  const choices = systems.filter((s) => bindings.some((b) => b.entity === entity && b.system === s.key));
  const trigger = useMutation(trpc.runs.trigger.mutationOptions({ onSuccess: (run) => router.push(`/runs/${run.id}`) }));
  const err = describeError(trigger.error);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const kind = String(data.get("kind"));
    trigger.mutate({ entity, system: String(data.get("system") ?? ""), kind: kind === "dry-run" || kind === "validate" || kind === "incremental" ? kind : "full" });
  }

  const described = (f: string) => (err.fields[f] ? { "aria-invalid": true, "aria-describedby": `sync-${f}-error` } : {});

  return (
    <form onSubmit={onSubmit} aria-labelledby="sync-now-title" className="mb-6 space-y-3 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm sm:p-5">
      <div>
        <h2 id="sync-now-title" className="text-base font-semibold text-zinc-900">Sync now</h2>
        <p className="mt-0.5 text-sm text-zinc-600">
          A full sync reads every record of the system and applies what changed; a dry run reads the same and only shows what a full sync would change;
          validating checks every record against the entity&apos;s rules and lists each problem with its field, writing nothing.
        </p>
      </div>
      <FormAlert message={err.message} />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-[auto_auto_auto_1fr] sm:items-end">
        <div>
          <label htmlFor="sync-entity" className={labelClass}>Entity</label>
          <select id="sync-entity" name="entity" value={entity} onChange={(e) => setEntity(e.target.value)} className={`${selectClass} mt-1 w-full sm:w-40`} {...described("entity")}>
            {entities.map((e) => <option key={e} value={e}>{e}</option>)}
          </select>
          <FieldError id="sync-entity-error" message={err.fields.entity} />
        </div>
        <div>
          <label htmlFor="sync-system" className={labelClass}>System to read from</label>
          <select id="sync-system" name="system" className={`${selectClass} mt-1 w-full sm:w-48`} {...described("system")}>
            {choices.map((s) => <option key={s.key} value={s.key}>{s.name}</option>)}
          </select>
          <FieldError id="sync-system-error" message={err.fields.system} />
        </div>
        <div>
          <label htmlFor="sync-kind" className={labelClass}>Kind</label>
          <select id="sync-kind" name="kind" defaultValue="full" className={`${selectClass} mt-1 w-full sm:w-40`}>
            <option value="full">Full sync</option>
            <option value="incremental">Incremental (changed since last run)</option>
            <option value="dry-run">Dry run (changes nothing)</option>
            <option value="validate">Validate only (writes nothing)</option>
          </select>
        </div>
        <div>
          <button type="submit" disabled={trigger.isPending || trigger.isSuccess} className={primaryButtonClass}>
            {trigger.isPending || trigger.isSuccess ? "Starting…" : "Start run"}
          </button>
        </div>
      </div>
    </form>
  );
}
