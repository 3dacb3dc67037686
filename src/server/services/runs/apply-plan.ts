import { eq } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import { runs } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { writeAudit } from "../write-audit";
import { executePlanApply } from "./apply-plan-run";
import { createRun } from "./create-run";
import { storedPlanEntries } from "./plan-entries";
import { PLAN_LIMIT } from "./run-progress";
import { ZRunView, type TRunView } from "./run-view";

/** Every record of a dry run's plan (`all`), or the chosen ones by the system's id. */
export const ZApplyPlanInput = z
  .object({
    runId: z.uuid(),
    externalIds: z.array(z.string().trim().min(1).max(200)).min(1).max(PLAN_LIMIT).optional(),
    all: z.literal(true).optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.all && !v.externalIds) ctx.addIssue({ code: "custom", path: ["externalIds"], message: "choose the records to apply, or all of them" });
    if (v.all && v.externalIds) ctx.addIssue({ code: "custom", path: ["externalIds"], message: "give either externalIds or all, not both" });
  });

/**
 * Applies a dry run's plan for real, for the chosen records only: a new selective run of the same entity
 * and system (started at once, progress on the bus) that reads each chosen document again and applies it
 * only when what it would do still equals what the plan showed — same action, same fields, same values
 * before and after. A document that changed since is reported as failed with the difference, and nothing
 * is applied for it; records not chosen are not read at all. Audited with the dry run it applies.
 */
export async function applyPlan({ engine, actor, input }: { engine: Engine; actor: TActor; input: z.input<typeof ZApplyPlanInput> }): Promise<TRunView> {
  const q = ZApplyPlanInput.parse(input);
  const [dry] = await engine.db.select().from(runs).where(eq(runs.id, q.runId));
  if (!dry) throw new SyncError("NOT_FOUND", "No such run.");
  if (dry.kind !== "dry-run") throw new SyncError("BAD_REQUEST", `Only a dry run's plan can be applied; this run is a ${dry.kind} run.`, { field: "runId" });
  if (dry.status !== "succeeded") throw new SyncError("CONFLICT", `This dry run is ${dry.status.replace("-", " ")}: only the plan of a dry run that succeeded can be applied.`);
  const plan = storedPlanEntries(dry.plan);
  if (plan.length === 0) throw new SyncError("CONFLICT", "This dry run's plan changes nothing: there is nothing to apply.");

  let chosen = plan;
  if (q.externalIds) {
    const wanted = new Set(q.externalIds);
    chosen = plan.filter((e) => wanted.has(e.externalId));
    const known = new Set(plan.map((e) => e.externalId));
    const unknown = [...wanted].filter((id) => !known.has(id));
    if (unknown.length) throw new SyncError("BAD_REQUEST", `Not in this dry run's plan: ${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ""}.`, { field: "externalIds" });
  }

  const run = await createRun(engine, {
    entity: dry.entity,
    system: dry.system,
    kind: "selective",
    trigger: actor.kind === "api_key" ? "api" : "admin",
    startedBy: actor.label,
    options: { appliesPlanOf: dry.id, planEntries: chosen.length },
  });
  await writeAudit(engine.db, {
    actor,
    action: "runs.applyPlan",
    target: `run:${dry.id}`,
    after: { applyRunId: run.id, all: q.all === true, count: chosen.length, externalIds: chosen.slice(0, 100).map((e) => e.externalId) },
  });
  void executePlanApply(engine, run.id, chosen).catch((err: unknown) => engine.log.error({ err, runId: run.id }, "plan apply crashed"));
  return ZRunView.parse(run);
}
