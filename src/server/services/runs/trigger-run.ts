import { z } from "zod";
import { bindingFor } from "~/sync/config";
import { SyncError } from "~/sync/errors";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { writeAudit } from "../write-audit";
import { createRun, ZRunKind, ZRunTrigger } from "./create-run";
import { runInBackground } from "./continue-runs";
import { ZRunView, type TRunView } from "./run-view";
import { hasSelection, ZSelection } from "./selection";

/** A run of one entity from one system; a selective run names documents, records and/or a date range. */
export const ZTriggerRunInput = z
  .object({ entity: z.string().min(1).max(100), system: z.string().min(1).max(100), kind: ZRunKind.default("full") })
  .extend(ZSelection.shape)
  .superRefine((v, ctx) => {
    const picked = hasSelection(v);
    if (v.kind === "selective" && !picked) {
      ctx.addIssue({ code: "custom", path: ["externalIds"], message: "A selective run needs externalIds, recordIds or a since/until range." });
    }
    if (v.kind !== "selective" && picked) ctx.addIssue({ code: "custom", path: ["kind"], message: "externalIds, recordIds, since and until are for selective runs." });
    if (v.since && v.until && v.since > v.until) ctx.addIssue({ code: "custom", path: ["until"], message: "until must not be before since." });
  });

/**
 * Starts a run now and returns at once; progress goes out on the bus (and the run row). The run goes on in
 * the background (runInBackground): to its end here, or on a serverless host within the function's budget,
 * the cron tick continuing it from its last committed page.
 */
export async function triggerRun(opts: { engine: Engine; actor: TActor; input: z.input<typeof ZTriggerRunInput>; trigger?: z.infer<typeof ZRunTrigger> }): Promise<TRunView> {
  const { entity, system, kind, ...selection } = ZTriggerRunInput.parse(opts.input);
  const binding = bindingFor(opts.engine.config, entity, system);
  if (binding && !binding.updatedAtField && (kind === "incremental" || selection.since || selection.until)) {
    throw new SyncError("BAD_REQUEST", `${entity} in "${system}" has no updated-at field: run a full run instead.`, { field: kind === "incremental" ? "kind" : "since" });
  }
  const options = kind === "selective" ? JSON.parse(JSON.stringify(selection)) : null;
  const run = await createRun(opts.engine, { entity, system, kind, options, trigger: opts.trigger ?? (opts.actor.kind === "api_key" ? "api" : "admin"), startedBy: opts.actor.label });
  await writeAudit(opts.engine.db, { actor: opts.actor, action: "runs.trigger", target: `run:${run.id}`, after: { entity, system, kind, ...(options ?? {}) } });
  runInBackground(opts.engine, [run.id]);
  return ZRunView.parse(run);
}
