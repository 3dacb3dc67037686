import { inArray } from "drizzle-orm";
import { z } from "zod";
import { runs, schedules } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { isUneditedDefault, pairKey, readDefaultMarkers } from "./default-schedules";
import { toScheduleView, type TScheduleView } from "./schedule-view";

export const ZListSchedulesInput = z.object({ entity: z.string().max(100).optional(), system: z.string().max(100).optional() }).optional();

/** Every binding with its schedule (or none yet), the plain-language reading, the next five times and the last run. */
export async function listSchedules({ engine, input }: { engine: Engine; input?: z.input<typeof ZListSchedulesInput> }): Promise<TScheduleView[]> {
  const q = ZListSchedulesInput.parse(input) ?? {};
  const bindings = engine.config.bindings.filter((b) => (!q.entity || b.entity === q.entity) && (!q.system || b.system === q.system));
  const [rows, markers] = await Promise.all([engine.db.select().from(schedules), readDefaultMarkers(engine.db)]);
  const byKey = new Map(rows.map((r) => [pairKey(r.entity, r.system), r]));
  const lastIds = rows.map((r) => r.lastRunId).filter((id): id is string => !!id);
  const last = lastIds.length
    ? await engine.db.select({ id: runs.id, status: runs.status, kind: runs.kind, createdAt: runs.createdAt, finishedAt: runs.finishedAt }).from(runs).where(inArray(runs.id, lastIds))
    : [];
  const lastById = new Map(last.map((r) => [r.id, r]));
  return bindings.map((b) => {
    const key = pairKey(b.entity, b.system);
    const row = byKey.get(key);
    return toScheduleView(engine, b, row, row?.lastRunId ? (lastById.get(row.lastRunId) ?? null) : null, isUneditedDefault(markers.get(key)));
  });
}
