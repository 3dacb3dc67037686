import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { bindingFor } from "~/sync/config";
import { isSyncError, SyncError } from "~/sync/errors";
import { possibleDuplicates, type TPossibleDuplicateRow } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { enqueueDeliveries } from "../delivery/enqueue";
import { linkRecord } from "../linking/link-record";
import { writeAudit } from "../write-audit";

const ZDuplicateDecision = z.enum(["link", "create", "skip"]);
export const ZDecidePossibleDuplicatesInput = z.object({ ids: z.array(z.uuid()).min(1).max(500), decision: ZDuplicateDecision });

export const ZDecideOutcome = z.object({ id: z.string(), ok: z.boolean(), status: z.string(), message: z.string() });
export const ZDecidePossibleDuplicatesResult = z.object({ done: z.number(), refused: z.number(), items: z.array(ZDecideOutcome) });
export type TDecidePossibleDuplicatesResult = z.infer<typeof ZDecidePossibleDuplicatesResult>;

const STATUS = { link: "linked", create: "created", skip: "skipped" } as const;

/**
 * Decides held creates, one by one (each its own transaction and audit row; one refused does not stop the
 * others): `link` links the record to the resembling document (differences go through the conflict policy),
 * `create` queues the create after all, `skip` leaves the record out of that system (until it next changes; a full run then asks again).
 */
export async function decidePossibleDuplicates({ engine, actor, input }: { engine: Engine; actor: TActor; input: z.input<typeof ZDecidePossibleDuplicatesInput> }): Promise<TDecidePossibleDuplicatesResult> {
  const { ids, decision } = ZDecidePossibleDuplicatesInput.parse(input);
  const rows = await engine.db.select().from(possibleDuplicates).where(inArray(possibleDuplicates.id, ids));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const items: z.infer<typeof ZDecideOutcome>[] = [];
  for (const id of ids) {
    const row = byId.get(id);
    try {
      if (!row) throw new SyncError("NOT_FOUND", "No such possible duplicate.", { field: "ids" });
      if (row.status !== "open") throw new SyncError("CONFLICT", `Already decided: ${row.status}${row.decidedBy ? ` by ${row.decidedBy}` : ""}.`, { field: "ids" });
      const message = await decideOne(engine, actor, row, decision);
      items.push({ id, ok: true, status: STATUS[decision], message });
    } catch (err) {
      if (!isSyncError(err)) engine.log.error({ err, id }, "deciding a possible duplicate failed");
      const message = isSyncError(err) ? err.message : "Something went wrong on the server. It has been logged.";
      if (row?.status === "open") await engine.db.update(possibleDuplicates).set({ error: message }).where(and(eq(possibleDuplicates.id, id), eq(possibleDuplicates.status, "open")));
      items.push({ id, ok: false, status: row?.status ?? "missing", message });
    }
  }
  const done = items.filter((i) => i.ok).length;
  return { done, refused: items.length - done, items };
}

async function decideOne(engine: Engine, actor: TActor, row: TPossibleDuplicateRow, decision: z.infer<typeof ZDuplicateDecision>): Promise<string> {
  const label = row.externalName ?? row.externalId;
  if (decision === "link") {
    const { conflicts } = await linkRecord({ engine, actor, input: { recordId: row.recordId, system: row.system, externalId: row.externalId, relink: false }, auditAction: "duplicates.link" });
    await close(engine, row, "linked", actor);
    return conflicts.length ? `Linked to "${label}"; ${conflicts.map((c) => c.field).join(", ")} differed and went through the conflict policy.` : `Linked to "${label}".`;
  }
  await engine.db.transaction(async (tx) => {
    const [closed] = await tx
      .update(possibleDuplicates)
      .set({ status: STATUS[decision], decidedBy: actor.label, decidedAt: engine.now(), error: null })
      .where(and(eq(possibleDuplicates.id, row.id), eq(possibleDuplicates.status, "open")))
      .returning();
    if (!closed) throw new SyncError("CONFLICT", "Decided meanwhile by someone else.", { field: "ids" });
    if (decision === "create") {
      const binding = bindingFor(engine.config, row.entity, row.system);
      if (!binding) throw new SyncError("BAD_REQUEST", `${row.entity} records do not live in ${row.system}.`);
      await enqueueDeliveries(tx, { recordId: row.recordId, entity: row.entity, systems: [row.system], fields: Object.keys(binding.fields), runId: row.runId });
    }
    await writeAudit(tx, { actor, action: `duplicates.${decision}`, target: `record:${row.recordId}`, before: { system: row.system, resembles: { externalId: row.externalId, name: row.externalName } }, after: { status: STATUS[decision] } });
  });
  return decision === "create" ? `Queued the create in ${row.system}.` : `Skipped: nothing is written to ${row.system} until the record next changes.`;
}

async function close(engine: Engine, row: TPossibleDuplicateRow, status: string, actor: TActor): Promise<void> {
  await engine.db
    .update(possibleDuplicates)
    .set({ status, decidedBy: actor.label, decidedAt: engine.now(), error: null })
    .where(and(eq(possibleDuplicates.id, row.id), eq(possibleDuplicates.status, "open")));
}
