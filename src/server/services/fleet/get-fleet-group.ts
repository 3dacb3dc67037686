import { and, asc, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import { deliveries, records, runItems, runs, type TBlocked } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { recordName } from "../delivery/references";
import { deliveryProgress, noDeliveries, ZDeliveryProgress } from "../runs/delivery-progress";
import { ZRunView } from "../runs/run-view";

export const ZGetFleetGroupInput = z.object({ groupId: z.uuid() });

const ZBlockedParent = z.object({ entity: z.string(), name: z.string(), recordId: z.string().nullable(), system: z.string().nullable(), externalId: z.string().nullable() });

export const ZBlockedDelivery = z.object({
  deliveryId: z.number(),
  recordId: z.string(),
  entity: z.string(),
  /** The blocked record, by name. */
  name: z.string(),
  system: z.string(),
  reason: z.enum(["invalid", "not-approved", "missing", "dead"]),
  /** In words, naming the parent: "blocked: its vessel MV Nordic Star (9074721) failed validation in Onboarding Portal (…)". */
  message: z.string(),
  parent: ZBlockedParent,
  /** Where the group's run read the parent (a parent that never reached Concord): its item there says why. */
  parentItem: z.object({ runId: z.string(), externalId: z.string() }).nullable(),
});

export const ZFleetGroupView = z.object({
  groupId: z.string(),
  /** reading: a run is still reading; delivering: all read, writes still on their way; done: every write delivered, dead or blocked. */
  state: z.enum(["reading", "delivering", "done"]),
  startedBy: z.string().nullable(),
  createdAt: z.date(),
  runs: z.array(z.object({ run: ZRunView, deliveries: ZDeliveryProgress })),
  totals: ZDeliveryProgress.extend({ read: z.number(), failed: z.number() }),
  blocked: z.array(ZBlockedDelivery),
  /** More blocked than listed. */
  blockedTotal: z.number(),
});
export type TFleetGroupView = z.infer<typeof ZFleetGroupView>;

const BLOCKED_LIMIT = 200;
const READING = new Set(["queued", "running", "awaiting-approval"]);
// Parents first, as the runs were started.
const ORDER = ["company", "vessel", "equipment", "user"];

/**
 * One fleet sync as a whole: each entity's run (what it read) and what it queued (where each write stands).
 * Done only when every run has ended and every write it queued is delivered, dead or blocked — computed
 * from the runs and the deliveries, so it holds whichever process ran or delivered them.
 */
export async function getFleetGroup(engine: Engine, input: z.input<typeof ZGetFleetGroupInput>): Promise<TFleetGroupView> {
  const { groupId } = ZGetFleetGroupInput.parse(input);
  const rows = await engine.db.select().from(runs).where(eq(runs.groupId, groupId)).orderBy(asc(runs.createdAt));
  if (rows.length === 0) throw new SyncError("NOT_FOUND", "No such fleet sync.");
  rows.sort((a, b) => ORDER.indexOf(a.entity) - ORDER.indexOf(b.entity));
  const ids = rows.map((r) => r.id);
  const progress = await deliveryProgress(engine.db, ids);
  const totals = { read: 0, failed: 0, ...noDeliveries() };
  for (const r of rows) {
    totals.read += r.counts.fetched;
    totals.failed += r.counts.failed;
    const p = progress.get(r.id)!;
    for (const k of Object.keys(p) as (keyof typeof p)[]) totals[k] += p[k];
  }
  const { list, total } = await blockedOf(engine, ids);
  const reading = rows.some((r) => READING.has(r.status));
  return {
    groupId,
    state: reading ? "reading" : totals.waiting > 0 ? "delivering" : "done",
    startedBy: rows[0]!.startedBy,
    createdAt: rows[0]!.createdAt,
    runs: rows.map((r) => ({ run: ZRunView.parse(r), deliveries: progress.get(r.id)! })),
    totals,
    blocked: list,
    blockedTotal: total,
  };
}

/** The group's blocked writes, each by name with its reason and parent (the newest delivery of each pair only). */
async function blockedOf(engine: Engine, runIds: string[]): Promise<{ list: z.infer<typeof ZBlockedDelivery>[]; total: number }> {
  const where = and(
    eq(deliveries.status, "pending"),
    isNotNull(deliveries.blocked),
    isNotNull(deliveries.waitingFor),
    sql`${deliveries.recordId} in (select record_id from ${deliveries} where ${inArray(deliveries.runId, runIds)})`,
  );
  const [rows, [count]] = await Promise.all([
    engine.db
      .select({ id: deliveries.id, recordId: deliveries.recordId, entity: deliveries.entity, system: deliveries.system, lastError: deliveries.lastError, blocked: deliveries.blocked, key: records.naturalKey, data: records.data })
      .from(deliveries)
      .leftJoin(records, eq(records.id, deliveries.recordId))
      .where(where)
      .orderBy(asc(deliveries.entity), desc(deliveries.id))
      .limit(BLOCKED_LIMIT),
    engine.db.select({ n: sql<number>`count(*)::int` }).from(deliveries).where(where),
  ]);
  const items = await parentItems(engine, runIds, rows.map((r) => (r.blocked as TBlocked).parent));
  const list = rows.map((r) => {
    const b = r.blocked as TBlocked;
    return {
      deliveryId: Number(r.id),
      recordId: r.recordId,
      entity: r.entity,
      name: recordName(engine.config.entities[r.entity], r.data, r.key),
      system: r.system,
      reason: b.reason,
      message: r.lastError ?? `blocked by its ${b.parent.entity} ${b.parent.name}`,
      parent: b.parent,
      parentItem: b.parent.recordId || !b.parent.externalId ? null : (items.get(`${b.parent.entity}:${b.parent.externalId}`) ?? null),
    };
  });
  return { list, total: count?.n ?? list.length };
}

/** The group's run items of parents that never reached Concord (the invalid vessel's, the rejected one's), by `<entity>:<external id>`. */
async function parentItems(engine: Engine, runIds: string[], parents: TBlocked["parent"][]): Promise<Map<string, { runId: string; externalId: string }>> {
  const out = new Map<string, { runId: string; externalId: string }>();
  const wanted = new Map(parents.filter((p) => !p.recordId && p.externalId).map((p) => [`${p.entity}:${p.externalId}`, p]));
  for (const [key, p] of wanted) {
    const [row] = await engine.db
      .select({ runId: runItems.runId })
      .from(runItems)
      .innerJoin(runs, eq(runs.id, runItems.runId))
      .where(and(inArray(runItems.runId, runIds), eq(runs.entity, p.entity), eq(runItems.externalId, p.externalId!)))
      .orderBy(desc(runItems.id))
      .limit(1);
    if (row) out.set(key, { runId: row.runId, externalId: p.externalId! });
  }
  return out;
}
