import { randomUUID } from "node:crypto";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import { inArray } from "drizzle-orm";
import { runs, type TRunRow } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { createRun, ZRunTrigger } from "../runs/create-run";
import { runInBackground } from "../runs/continue-runs";
import { ZRunView, type TRunView } from "../runs/run-view";
import { writeAudit } from "../write-audit";
import { exportVesselBundle, FLEET_SOURCE } from "./export-bundle";

/** Parents before children: a company before its vessels and users, a vessel before its equipment. */
export const FLEET_ORDER = ["company", "vessel", "equipment", "user"] as const;

export const ZSyncFleetInput = z
  .object({
    /** fleet: everything, in batches (pages); vessel: one vessel with its company, equipment and users; range: changed between since and until. */
    scope: z.enum(["fleet", "vessel", "range"]),
    /** full: apply; dry-run: plan only; validate: check every document, write nothing. */
    kind: z.enum(["full", "dry-run", "validate"]).default("full"),
    vessel: z.string().trim().min(1).max(200).optional(),
    since: z.coerce.date().optional(),
    until: z.coerce.date().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.scope === "vessel" && !v.vessel) ctx.addIssue({ code: "custom", path: ["vessel"], message: "Name the vessel: its Onboarding Portal id, IMO number or record id." });
    if (v.scope === "range" && !v.since && !v.until) ctx.addIssue({ code: "custom", path: ["since"], message: "A date range needs since and/or until." });
    if (v.since && v.until && v.since > v.until) ctx.addIssue({ code: "custom", path: ["until"], message: "until must not be before since." });
    if (v.scope !== "fleet" && v.kind !== "full") ctx.addIssue({ code: "custom", path: ["kind"], message: "Dry runs and validation cover the whole fleet." });
  });

export type TSyncFleetInput = z.input<typeof ZSyncFleetInput>;

export const ZSyncFleetOutput = z.object({ groupId: z.uuid(), runs: z.array(ZRunView) });

/** What each entity's run reads, by scope. A vessel's bundle names exactly its company, equipment and users. */
async function plans(engine: Engine, input: z.infer<typeof ZSyncFleetInput>): Promise<{ entity: string; kind: TRunRow["kind"]; options: Record<string, unknown> | null }[]> {
  if (input.scope === "fleet") return FLEET_ORDER.map((entity) => ({ entity, kind: input.kind, options: null }));
  if (input.scope === "range") {
    const range = JSON.parse(JSON.stringify({ since: input.since, until: input.until })) as Record<string, unknown>;
    return FLEET_ORDER.map((entity) => ({ entity, kind: "selective" as const, options: range }));
  }
  const bundle = await exportVesselBundle(engine, input.vessel!);
  const ids = { company: bundle.company ? [bundle.company.id] : [], vessel: [bundle.vessel.id], equipment: bundle.equipment.map((d) => d.id), user: bundle.users.map((d) => d.id) };
  return FLEET_ORDER.filter((e) => ids[e].length).map((entity) => ({ entity, kind: "selective" as const, options: { externalIds: ids[entity].map(String) } }));
}

/**
 * Starts a fleet sync from the Onboarding Portal: one run per entity in parent-before-child order, sharing a
 * group, executed one after another in the background (runInBackground; wherever the group is continued,
 * a run starts only once the earlier ones of its group have ended). Deliveries whose parent has not landed yet wait for
 * it either way, so the order is for speed and a readable history, not for correctness.
 */
export async function syncFleet(opts: { engine: Engine; actor: TActor; input: z.input<typeof ZSyncFleetInput>; trigger?: z.infer<typeof ZRunTrigger> }): Promise<z.infer<typeof ZSyncFleetOutput>> {
  const { engine, actor } = opts;
  const input = ZSyncFleetInput.parse(opts.input);
  if (!engine.config.systems[FLEET_SOURCE]) throw new SyncError("NOT_FOUND", "No Onboarding Portal in this configuration.");
  const groupId = randomUUID();
  const planned = await plans(engine, input);
  const created: TRunRow[] = [];
  try {
    for (const p of planned) {
      created.push(
        await createRun(engine, { entity: p.entity, system: FLEET_SOURCE, kind: p.kind, options: p.options, groupId, trigger: opts.trigger ?? (actor.kind === "api_key" ? "api" : "admin"), startedBy: actor.label }),
      );
    }
  } catch (err) {
    // One entity already has a run going: none of the group starts.
    if (created.length) await engine.db.update(runs).set({ status: "cancelled", finishedAt: new Date(), error: "another run of the group could not start" }).where(inArray(runs.id, created.map((r) => r.id)));
    throw err;
  }
  await writeAudit(engine.db, { actor, action: "fleet.sync", target: `group:${groupId}`, after: { ...input, runs: created.map((r) => r.id) } });
  runInBackground(engine, created.map((r) => r.id));
  return { groupId, runs: created.map((r) => ZRunView.parse(r)) };
}

export type { TRunView };
