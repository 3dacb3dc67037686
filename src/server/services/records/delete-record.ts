import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { isSourceBinding } from "~/sync/config";
import { SyncError } from "~/sync/errors";
import { changes, records } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { enqueueDeliveries } from "../delivery/enqueue";
import { linksOf } from "../ingest/record-store";
import { writeAudit } from "../write-audit";
import { originBinding } from "./api-origin";
import { findRecord } from "./find-record";
import { toRecordView, ZEntityKey, ZRecordView } from "./record-view";
import { isLive } from "../linking/tombstone";

export const ZDeleteRecordInput = z
  .object({
    entity: ZEntityKey,
    /** The system this delete speaks for; a system that only receives the entity cannot delete it. */
    origin: z.string().trim().min(1).max(100),
    id: z.uuid().optional(),
    naturalKey: z.string().trim().min(1).max(500).optional(),
  })
  .refine((v) => (v.id === undefined) !== (v.naturalKey === undefined), { message: "give id or naturalKey (one of them)", path: ["id"] });

export const ZDeleteRecordOutput = z.object({ outcome: z.literal("deleted"), record: ZRecordView, targets: z.array(z.string()) });

/**
 * Deletes a record on behalf of `origin`: a tombstone, and a delivery to every system where it is linked
 * (the origin too: the tool did not delete it there). Each binding decides delete, archive or ignore.
 */
export async function deleteRecord({ engine, actor, input }: { engine: Engine; actor: TActor; input: z.input<typeof ZDeleteRecordInput> }) {
  const q = ZDeleteRecordInput.parse(input);
  const { entity, binding } = originBinding(engine.config, q.entity, q.origin);
  if (!isSourceBinding(binding)) {
    throw new SyncError("UNPROCESSABLE", `${binding.system} only receives ${entity.key} records, so a delete cannot come from there.`, { field: "origin" });
  }
  const ref = q.id ? { entity: entity.key, id: q.id } : { entity: entity.key, naturalKey: q.naturalKey! };
  const now = engine.now();
  const { row, targets } = await engine.db.transaction(async (tx) => {
    const record = await findRecord(tx, { entity, ref, forUpdate: true, liveOnly: true });
    const [done] = await tx
      .update(records)
      .set({ deletedAt: now, version: sql`${records.version} + 1`, updatedAt: sql`now()` })
      .where(eq(records.id, record.id))
      .returning();
    const systems = (await linksOf(tx, record.id)).filter(isLive).map((l) => l.system);
    await enqueueDeliveries(tx, { recordId: record.id, entity: entity.key, systems, fields: [] });
    await tx.insert(changes).values({ recordId: record.id, entity: entity.key, system: binding.system, externalId: null, kind: "delete", outcome: "deleted", fields: [], detail: `through the API by ${actor.label}`, sourceTime: now });
    await writeAudit(tx, { actor, action: "records.delete", target: `${entity.key}:${record.id}`, before: { naturalKey: record.naturalKey, data: record.data }, after: { origin: binding.system, deleted: true } });
    return { row: done!, targets: systems };
  });
  engine.bus.emit({ type: "change", recordId: row.id, system: binding.system, outcome: "deleted" });
  return { outcome: "deleted" as const, record: await toRecordView(engine.db, entity, row), targets };
}
