import { and, eq, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import { driftChecks } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { writeAudit } from "../write-audit";
import { toDriftCheckView, type TDriftCheckView } from "./drift-view";
import { runDriftCheck } from "./run-drift-check";

export const ZStartDriftCheckInput = z.object({ entity: z.string().trim().min(1).max(100) });

/** A check still "running" after this long was left behind by a process that stopped: it no longer blocks a new one. */
export const ABANDONED_AFTER_MS = 30 * 60_000;

/**
 * Starts a drift check of one entity and returns at once with its id; the check runs in the background
 * (the page follows its counts). One check per entity at a time. Audited.
 */
export async function startDriftCheck(opts: { engine: Engine; actor: TActor; input: z.input<typeof ZStartDriftCheckInput> }): Promise<TDriftCheckView> {
  const { engine, actor } = opts;
  const { entity } = ZStartDriftCheckInput.parse(opts.input);
  if (!engine.config.entities[entity]) throw new SyncError("NOT_FOUND", `Unknown entity "${entity}".`, { field: "entity" });
  const now = engine.now();
  const row = await engine.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`drift-check:${entity}`}))`); // one start at a time per entity
    await tx
      .update(driftChecks)
      .set({ status: "failed", error: "Abandoned: the process running it stopped.", finishedAt: now })
      .where(and(eq(driftChecks.entity, entity), eq(driftChecks.status, "running"), lt(driftChecks.startedAt, new Date(now.getTime() - ABANDONED_AFTER_MS))));
    const [running] = await tx.select({ id: driftChecks.id }).from(driftChecks).where(and(eq(driftChecks.entity, entity), eq(driftChecks.status, "running"))).limit(1);
    if (running) throw new SyncError("CONFLICT", `A drift check of ${entity} is already running: wait for it to finish.`, { field: "entity" });
    const [created] = await tx.insert(driftChecks).values({ entity, startedBy: actor.label, startedAt: now }).returning();
    await writeAudit(tx, { actor, action: "drift.startCheck", target: `drift-check:${created!.id}`, after: { entity } });
    return created!;
  });
  void runDriftCheck(engine, row.id).catch((err: unknown) => engine.log.error({ err, checkId: row.id }, "drift check crashed"));
  return toDriftCheckView(row);
}
