import { z } from "zod";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { writeAudit } from "../write-audit";
import { createRun, ZRunTrigger } from "./create-run";
import { executeRun } from "./execute-run";
import { ZRunView, type TRunView } from "./run-view";

export const ZTriggerRunInput = z.object({
  entity: z.string().min(1).max(100),
  system: z.string().min(1).max(100),
  kind: z.enum(["full", "dry-run"]).default("full"),
});

/** Starts a run now and returns at once; progress goes out on the bus (and the run row). */
export async function triggerRun(opts: { engine: Engine; actor: TActor; input: z.input<typeof ZTriggerRunInput>; trigger?: z.infer<typeof ZRunTrigger> }): Promise<TRunView> {
  const input = ZTriggerRunInput.parse(opts.input);
  const run = await createRun(opts.engine, { ...input, trigger: opts.trigger ?? (opts.actor.kind === "api_key" ? "api" : "admin"), startedBy: opts.actor.label });
  await writeAudit(opts.engine.db, { actor: opts.actor, action: "runs.trigger", target: `run:${run.id}`, after: input });
  void executeRun(opts.engine, run.id).catch((err: unknown) => opts.engine.log.error({ err, runId: run.id }, "run crashed"));
  return ZRunView.parse(run);
}
