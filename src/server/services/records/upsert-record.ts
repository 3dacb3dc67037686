import { eq } from "drizzle-orm";
import { z } from "zod";
import type { TBinding, TEntity, TSyncConfig } from "~/sync/config";
import { SyncError } from "~/sync/errors";
import { mapOut, type TValues } from "~/sync/mapping";
import type { Db } from "~/server/db";
import { records } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { isUniqueViolation } from "../deliveries/replay-rows";
import { applyChange } from "../ingest/apply-change";
import { findLink } from "../ingest/record-store";
import type { TApplyResult } from "../ingest/types";
import { writeAudit } from "../write-audit";
import { checkApiValues, originBinding } from "./api-origin";
import { toRecordView, ZEntityKey, ZRecordView } from "./record-view";
import { writeApiChange } from "./write-api-change";

export const ZUpsertRecordInput = z
  .object({
    entity: ZEntityKey,
    /** The system this change speaks for: its binding decides which fields the change may carry. */
    origin: z.string().trim().min(1).max(100),
    /** The origin's own id for the record, when the tool already wrote the change there. */
    externalId: z.string().trim().min(1).max(500).optional(),
    /** Concord's id of the record, to change its natural key; otherwise it is found by the natural key in `data`. */
    id: z.uuid().optional(),
    /** Canonical field values (an industry's name, slug, description, active). */
    data: z.record(z.string(), z.unknown()).refine((d) => Object.keys(d).length > 0, "at least one field"),
  })
  .refine((v) => !(v.id && v.externalId), { message: "give id or externalId, not both", path: ["id"] });

export const ZUpsertRecordOutput = z.object({
  /** created | applied | unchanged | echo | stale | conflict | foreign */
  outcome: z.string(),
  record: ZRecordView,
  /** Systems a delivery was queued for. */
  targets: z.array(z.string()),
});
export type TUpsertRecordOutput = z.infer<typeof ZUpsertRecordOutput>;

/**
 * Creates or changes a record on behalf of `origin`, then propagates it like any other change:
 * - without `externalId`, nothing holds the change yet, so every binding that carries a changed field
 *   receives it, the origin included (see write-api-change.ts);
 * - with `externalId`, the tool says the origin already holds it under that id: the change enters
 *   through applyChange exactly as if observed there (merge, conflicts, echo rules), and every other
 *   system receives it.
 * Bad input changes nothing: the error names the field.
 */
export async function upsertRecord({ engine, actor, input }: { engine: Engine; actor: TActor; input: z.input<typeof ZUpsertRecordInput> }): Promise<TUpsertRecordOutput> {
  const q = ZUpsertRecordInput.parse(input);
  const { entity, binding } = originBinding(engine.config, q.entity, q.origin);
  const values = checkApiValues(entity, binding, q.data);
  const now = engine.now();
  let result: TApplyResult;
  try {
    result = await engine.db.transaction(async (tx) => {
      const r = q.externalId
        ? await observed(tx, { config: engine.config, entity, binding, values, externalId: q.externalId, now })
        : await writeApiChange(tx, { config: engine.config, entity, binding, values, id: q.id, now, detail: `through the API by ${actor.label}` });
      await writeAudit(tx, {
        actor,
        action: "records.upsert",
        target: `${entity.key}:${r.recordId}`,
        after: { origin: binding.system, externalId: q.externalId ?? null, outcome: r.outcome, fields: r.fields, data: values },
      });
      return r;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new SyncError("CONFLICT", `Another ${entity.key} took this ${entity.naturalKey} at the same moment: try again.`, { field: entity.naturalKey });
    throw err;
  }
  engine.bus.emit({ type: "change", recordId: result.recordId, system: binding.system, outcome: result.outcome });
  const [row] = await engine.db.select().from(records).where(eq(records.id, result.recordId!));
  return { outcome: result.outcome, record: await toRecordView(engine.db, entity, row!), targets: result.targets };
}

/** The origin's document as the tool says it now is, through the binding, into applyChange. */
async function observed(
  tx: Db,
  o: { config: TSyncConfig; entity: TEntity; binding: TBinding; values: TValues; externalId: string; now: Date },
): Promise<TApplyResult> {
  const { body } = mapOut(o.binding, o.entity, o.values, Object.keys(o.values));
  body[o.binding.idField] = o.externalId;
  const link = await findLink(tx, { system: o.binding.system, entity: o.entity.key, externalId: o.externalId });
  const change = { entity: o.entity.key, system: o.binding.system, kind: link ? "update" : "create", externalId: o.externalId, doc: body, eventTime: o.now } as const;
  const r = await applyChange(tx, o.config, change, o.now);
  if (!r.recordId || r.outcome === "ignored" || r.outcome === "filtered") {
    const code = r.outcome === "filtered" ? "UNPROCESSABLE" : "CONFLICT";
    throw new SyncError(code, `Not applied: ${r.detail ?? r.outcome}.`, { field: "externalId" });
  }
  return r;
}
