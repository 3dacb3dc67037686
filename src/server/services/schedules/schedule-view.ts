import { z } from "zod";
import type { TBinding } from "~/sync/config";
import type { Engine } from "~/server/engine/context";
import type { schedules } from "~/server/db/schema";
import { explainCron, nextRuns } from "./cron-expr";

export const ZScheduleKind = z.enum(["full", "incremental"]);

export const ZScheduleLastRun = z.object({ id: z.string(), status: z.string(), kind: z.string(), createdAt: z.date(), finishedAt: z.date().nullable() });

/** One binding's schedule; `cron` null = never scheduled yet. */
export const ZScheduleView = z.object({
  entity: z.string(),
  entityLabel: z.string(),
  system: z.string(),
  systemName: z.string(),
  cron: z.string().nullable(),
  /** cronstrue's plain-language reading of `cron`. */
  explanation: z.string().nullable(),
  timezone: z.string(),
  kind: ZScheduleKind,
  enabled: z.boolean(),
  /** Incremental runs need the system's updated-at field. */
  incrementalPossible: z.boolean(),
  /** When the tick will next start it (null while disabled). */
  nextRunAt: z.date().nullable(),
  /** The next five times the expression fires, in its timezone. */
  upcoming: z.array(z.date()),
  lastRunAt: z.date().nullable(),
  lastRun: ZScheduleLastRun.nullable(),
  updatedAt: z.date().nullable(),
  /** The default catch-up schedule Concord made for this source binding, not edited by an admin since. */
  isDefault: z.boolean(),
});
export type TScheduleView = z.infer<typeof ZScheduleView>;
type TScheduleRow = typeof schedules.$inferSelect;

export function toScheduleView(
  engine: Engine,
  binding: TBinding,
  row: TScheduleRow | undefined,
  lastRun: z.infer<typeof ZScheduleLastRun> | null,
  isDefault = false,
): TScheduleView {
  const cron = row?.cron ?? null;
  const timezone = row?.timezone ?? "UTC";
  let upcoming: Date[] = [];
  try {
    upcoming = cron ? nextRuns(cron, timezone, engine.now(), 5) : [];
  } catch {
    upcoming = []; // a stored expression the parser no longer reads: shown, never run
  }
  return {
    entity: binding.entity,
    entityLabel: engine.config.entities[binding.entity]?.label ?? binding.entity,
    system: binding.system,
    systemName: engine.config.systems[binding.system]?.name ?? binding.system,
    cron,
    explanation: cron ? explainCron(cron) : null,
    timezone,
    kind: row?.kind ?? (binding.updatedAtField ? "incremental" : "full"),
    enabled: row?.enabled ?? false,
    incrementalPossible: !!binding.updatedAtField,
    nextRunAt: row?.enabled ? (row.nextRunAt ?? null) : null,
    upcoming,
    lastRunAt: row?.lastRunAt ?? null,
    lastRun,
    updatedAt: row?.updatedAt ?? null,
    isDefault: !!row && isDefault,
  };
}

/** What the audit log keeps of a schedule. */
export const auditableSchedule = (row: TScheduleRow | undefined) =>
  row ? { cron: row.cron, timezone: row.timezone, kind: row.kind, enabled: row.enabled } : null;
