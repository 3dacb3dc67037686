import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { bindingFor } from "~/sync/config";
import { SyncError } from "~/sync/errors";
import { schedules, settings } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { writeAudit } from "../write-audit";
import { assertCron, assertTimezone, nextRuns } from "./cron-expr";
import { defaultMarkerKey } from "./default-schedules";
import { listSchedules } from "./list-schedules";
import { auditableSchedule, ZScheduleKind, type TScheduleView } from "./schedule-view";

/** Only the fields given change; a binding's first schedule needs `cron`. */
export const ZUpdateScheduleInput = z.object({
  entity: z.string().trim().min(1).max(100),
  system: z.string().trim().min(1).max(100),
  cron: z.string().trim().min(1).max(200).optional(),
  timezone: z.string().trim().min(1).max(100).optional(),
  kind: ZScheduleKind.optional(),
  enabled: z.boolean().optional(),
});

/**
 * Sets a binding's schedule, audited before → after. A new expression, timezone or enabling starts the
 * clock again from now: `next_run_at` is the next time it fires after now (null while disabled). A
 * default catch-up schedule an admin edits becomes theirs (see ensureDefaultSchedules).
 */
export async function updateSchedule({ engine, actor, input }: { engine: Engine; actor: TActor; input: z.input<typeof ZUpdateScheduleInput> }): Promise<TScheduleView> {
  const q = ZUpdateScheduleInput.parse(input);
  const binding = bindingFor(engine.config, q.entity, q.system);
  if (!binding) throw new SyncError("NOT_FOUND", `${q.entity} does not live in "${q.system}".`, { field: "system" });
  const where = and(eq(schedules.entity, q.entity), eq(schedules.system, q.system));
  await engine.db.transaction(async (tx) => {
    const [before] = await tx.select().from(schedules).where(where).for("update");
    const cron = q.cron ?? before?.cron;
    if (!cron) throw new SyncError("BAD_REQUEST", "cron: a schedule needs a cron expression, e.g. \"*/15 * * * *\".", { field: "cron" });
    const timezone = q.timezone ?? before?.timezone ?? "UTC";
    assertTimezone(timezone);
    assertCron(cron, timezone);
    const kind = q.kind ?? before?.kind ?? (binding.updatedAtField ? "incremental" : "full");
    if (kind === "incremental" && !binding.updatedAtField) {
      throw new SyncError("BAD_REQUEST", `kind: ${q.entity} in "${q.system}" has no updated-at field, so only full runs can be scheduled.`, { field: "kind" });
    }
    const enabled = q.enabled ?? before?.enabled ?? false;
    const restart = !before || cron !== before.cron || timezone !== before.timezone || enabled !== before.enabled;
    const nextRunAt = !enabled ? null : restart || !before?.nextRunAt ? (nextRuns(cron, timezone, engine.now(), 1)[0] ?? null) : before.nextRunAt;
    const values = { entity: q.entity, system: q.system, cron, timezone, kind, enabled, nextRunAt, updatedAt: sql`now()` };
    const [after] = await tx
      .insert(schedules)
      .values(values)
      .onConflictDoUpdate({ target: [schedules.entity, schedules.system], set: { cron, timezone, kind, enabled, nextRunAt, updatedAt: sql`now()` } })
      .returning();
    // An admin's edit makes a default catch-up schedule theirs: later starts never touch it.
    await tx
      .update(settings)
      .set({ value: sql`${settings.value} || jsonb_build_object('editedAt', ${engine.now().toISOString()}::text)`, updatedAt: sql`now()` })
      .where(and(eq(settings.key, defaultMarkerKey(q.entity, q.system)), sql`${settings.value}->>'editedAt' is null`));
    await writeAudit(tx, { actor, action: "schedules.update", target: `schedule:${q.entity}:${q.system}`, before: auditableSchedule(before), after: auditableSchedule(after) });
  });
  const [view] = await listSchedules({ engine, input: { entity: q.entity, system: q.system } });
  return view!;
}
