"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "~/trpc/react";
import { describeError, FieldError, FormAlert } from "../form-errors";
import { inputClass, labelClass, primaryButtonClass, selectClass } from "../styles";

interface Props {
  entity: string;
  system: string;
  /** "industry in Dashboard", for the form's name. */
  title: string;
  cron: string | null;
  timezone: string;
  kind: "full" | "incremental";
  enabled: boolean;
  incrementalPossible: boolean;
  /** The id of a <datalist> of IANA timezones on the page. */
  timezoneListId?: string;
}

const FIELDS = ["cron", "timezone", "kind", "enabled"] as const;

/** The service prefixes its messages with the field ("cron: …"): next to that field the prefix is noise. */
const withoutPrefix = (message: string | undefined) => message?.replace(/^(cron|timezone|kind|enabled): /, "");

/** Cron, timezone, kind and enabled of one binding's schedule (admins only); the parser's error shows at the cron field. */
export function ScheduleForm({ entity, system, title, cron, timezone, kind, enabled, incrementalPossible, timezoneListId }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const [values, setValues] = useState({ cron: cron ?? "", timezone, kind, enabled });
  const [saved, setSaved] = useState(false);
  const update = useMutation(trpc.schedules.update.mutationOptions({ onSuccess: () => { setSaved(true); router.refresh(); } }));
  const err = describeError(update.error);
  const fieldMessage = (f: (typeof FIELDS)[number]) => withoutPrefix(err.fields[f]);
  const fieldErrors = FIELDS.some((f) => err.fields[f]);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSaved(false);
    update.mutate({ entity, system, cron: values.cron.trim() || undefined, timezone: values.timezone.trim() || undefined, kind: values.kind, enabled: values.enabled });
  }

  const id = (f: string) => `schedule-${entity}-${system}-${f}`;
  const a11y = (f: (typeof FIELDS)[number], hint: boolean) => ({
    id: id(f),
    name: f,
    "aria-invalid": err.fields[f] ? true : undefined,
    "aria-describedby": err.fields[f] ? `${id(f)}-error` : hint ? `${id(f)}-hint` : undefined,
  });
  const change = (patch: Partial<typeof values>) => {
    setSaved(false);
    setValues((v) => ({ ...v, ...patch }));
  };

  return (
    <form onSubmit={onSubmit} aria-label={`Edit the schedule of ${title}`} className="min-w-0 space-y-3">
      <FormAlert message={fieldErrors ? null : err.message} />
      <div>
        <label htmlFor={id("cron")} className={labelClass}>Cron expression</label>
        <input
          {...a11y("cron", true)}
          type="text"
          spellCheck={false}
          autoComplete="off"
          placeholder="*/15 * * * *"
          value={values.cron}
          onChange={(e) => change({ cron: e.target.value })}
          className={`${inputClass} font-mono`}
        />
        <FieldError id={`${id("cron")}-error`} message={fieldMessage("cron")} />
        {!err.fields.cron ? (
          <p id={`${id("cron")}-hint`} className="mt-1 text-xs text-zinc-500">
            Five fields: minute, hour, day of month, month, day of week (or <code>@hourly</code>, <code>@daily</code>…). The scheduler checks once a minute.
          </p>
        ) : null}
      </div>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <div className="min-w-0">
          <label htmlFor={id("timezone")} className={labelClass}>Timezone</label>
          <input
            {...a11y("timezone", true)}
            type="text"
            spellCheck={false}
            autoComplete="off"
            list={timezoneListId}
            value={values.timezone}
            onChange={(e) => change({ timezone: e.target.value })}
            className={inputClass}
          />
          <FieldError id={`${id("timezone")}-error`} message={fieldMessage("timezone")} />
          {!err.fields.timezone ? <p id={`${id("timezone")}-hint`} className="mt-1 text-xs text-zinc-500">IANA name, e.g. UTC or Europe/London.</p> : null}
        </div>
        <div className="min-w-0">
          <label htmlFor={id("kind")} className={labelClass}>Kind</label>
          <select
            {...a11y("kind", !incrementalPossible)}
            value={values.kind}
            onChange={(e) => change({ kind: e.target.value === "incremental" ? "incremental" : "full" })}
            className={`${selectClass} mt-1 w-full`}
          >
            <option value="incremental" disabled={!incrementalPossible}>Incremental</option>
            <option value="full">Full</option>
          </select>
          <FieldError id={`${id("kind")}-error`} message={fieldMessage("kind")} />
          {!incrementalPossible && !err.fields.kind ? (
            <p id={`${id("kind")}-hint`} className="mt-1 text-xs text-zinc-500">This system has no updated-at field: only full runs.</p>
          ) : null}
        </div>
      </div>
      <div className="flex items-start gap-2">
        <input
          {...a11y("enabled", true)}
          type="checkbox"
          checked={values.enabled}
          onChange={(e) => change({ enabled: e.target.checked })}
          className="mt-0.5 h-4 w-4 rounded border-zinc-300 text-indigo-700 focus:ring-2 focus:ring-indigo-600/30"
        />
        <div>
          <label htmlFor={id("enabled")} className="text-sm font-medium text-zinc-800">Enabled</label>
          <p id={`${id("enabled")}-hint`} className="text-xs text-zinc-500">When enabled, runs start at these times; disabled keeps the expression and starts nothing.</p>
          <FieldError id={`${id("enabled")}-error`} message={fieldMessage("enabled")} />
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={update.isPending} className={primaryButtonClass}>
          {update.isPending ? "Saving…" : "Save schedule"}
        </button>
        <p role="status" className="text-sm text-green-800">{saved && !update.isPending ? "Schedule saved." : ""}</p>
      </div>
    </form>
  );
}
