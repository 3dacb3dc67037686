import { and, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import { bindingFor } from "~/sync/config";
import { SyncError } from "~/sync/errors";
import { links, records, runs, type TRunRow } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { enqueueMany } from "../delivery/enqueue";
import { dropLink } from "../linking/drop-link";
import { writeAudit } from "../write-audit";

export const ZHeldDelete = z.object({
  externalId: z.string(),
  recordId: z.string().nullable(),
  name: z.string().nullable(),
  naturalKey: z.string().nullable(),
  /** The other systems the record is in, which approving would delete it from too. */
  systems: z.array(z.string()),
});
export const ZHeldDeletes = z.object({
  system: z.string(),
  items: z.array(ZHeldDelete),
  /** Rejected by an admin (nothing deleted): who, and whether the records were since re-created there. */
  rejectedBy: z.string().nullable(),
  recreated: z.number().nullable(),
});
export type THeldDeletes = z.infer<typeof ZHeldDeletes>;

type THeldPlan = { deletes?: string[]; rejectedBy?: string; recreated?: number };
const heldOf = (run: TRunRow) => (run.plan ?? {}) as THeldPlan;

async function runOrThrow(engine: Engine, runId: string): Promise<TRunRow> {
  const [run] = await engine.db.select().from(runs).where(eq(runs.id, runId));
  if (!run) throw new SyncError("NOT_FOUND", "No such run.", { field: "runId" });
  return run;
}

/** What a run held by the mass-delete guard would delete: each record by name, with the systems it is still in. */
export async function describeHeldDeletes({ engine, input }: { engine: Engine; input: { runId: string } }): Promise<THeldDeletes> {
  const run = await runOrThrow(engine, input.runId);
  const plan = heldOf(run);
  const ids = plan.deletes ?? [];
  const entity = engine.config.entities[run.entity];
  const found = ids.length
    ? await engine.db
        .select({ externalId: links.externalId, recordId: records.id, data: records.data, naturalKey: records.naturalKey })
        .from(links)
        .innerJoin(records, eq(records.id, links.recordId))
        .where(and(eq(links.system, run.system), eq(links.entity, run.entity), inArray(links.externalId, ids)))
    : [];
  const recordIds = found.map((f) => f.recordId);
  const others = recordIds.length ? await engine.db.select({ recordId: links.recordId, system: links.system }).from(links).where(inArray(links.recordId, recordIds)) : [];
  const byExt = new Map(found.map((f) => [f.externalId, f]));
  return {
    system: run.system,
    rejectedBy: plan.rejectedBy ?? null,
    recreated: plan.recreated ?? null,
    items: ids.map((externalId) => {
      const f = byExt.get(externalId);
      const name = f && entity ? f.data[entity.displayField] : undefined;
      return {
        externalId,
        recordId: f?.recordId ?? null,
        name: name === undefined || name === null ? null : String(name),
        naturalKey: f?.naturalKey ?? null,
        systems: others.filter((o) => o.recordId === f?.recordId && o.system !== run.system).map((o) => o.system).sort(),
      };
    }),
  };
}

/**
 * After an admin rejected a run's deletes, the records are still in Concord and the other systems but gone from
 * the run's system: re-create them there (their stale links go; a create is queued for each). Once per run; audited.
 */
export async function recreateRejectedDeletes({ engine, actor, input }: { engine: Engine; actor: TActor; input: { runId: string } }): Promise<{ recreated: number }> {
  const run = await runOrThrow(engine, input.runId);
  const plan = heldOf(run);
  if (!plan.rejectedBy) throw new SyncError("CONFLICT", "Only a run whose deletes were rejected can re-create them.", { field: "runId" });
  if (plan.recreated !== undefined) throw new SyncError("CONFLICT", `Already re-created (${plan.recreated}).`, { field: "runId" });
  const binding = bindingFor(engine.config, run.entity, run.system);
  if (!binding) throw new SyncError("BAD_REQUEST", `${run.entity} records do not live in ${run.system}.`);
  const recreated = await engine.db.transaction(async (tx) => {
    const ids = plan.deletes ?? [];
    const stale = ids.length
      ? await tx
          .select({ link: links })
          .from(links)
          .innerJoin(records, eq(records.id, links.recordId))
          .where(and(eq(links.system, run.system), eq(links.entity, run.entity), inArray(links.externalId, ids), isNull(records.deletedAt)))
      : [];
    for (const { link } of stale) await dropLink(tx, { link, detail: `gone from ${run.system}; re-created by ${actor.label}` });
    await enqueueMany(tx, stale.map(({ link }) => ({ recordId: link.recordId, entity: run.entity, system: run.system, fields: Object.keys(binding.fields), runId: run.id })));
    await tx.update(runs).set({ plan: { ...plan, recreated: stale.length } }).where(eq(runs.id, run.id));
    await writeAudit(tx, { actor, action: "runs.recreateRejected", target: `run:${run.id}`, after: { system: run.system, recreated: stale.length, records: stale.map((s) => s.link.recordId) } });
    return stale.length;
  });
  return { recreated };
}
