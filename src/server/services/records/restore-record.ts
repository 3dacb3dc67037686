import { eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import { planTargets } from "~/sync/plan";
import { changes, links, records } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { isUniqueViolation } from "../deliveries/replay-rows";
import { enqueueDeliveries } from "../delivery/enqueue";
import { findLiveByNaturalKey, linksOf, lockRecord } from "../ingest/record-store";
import { writeAudit } from "../write-audit";
import { ZRecordIdInput } from "./get-record-detail";
import { toRecordView, ZRecordView } from "./record-view";
import { isTombstone } from "../linking/tombstone";

export const ZRestoreRecordInput = ZRecordIdInput;
export const ZRestoreRecordOutput = z.object({ record: ZRecordView, targets: z.array(z.string()) });

/**
 * Brings a deleted record back from its tombstone (its data was kept): it is live again, one version
 * newer, and every system that should hold it receives it. Where the delete removed the document, the
 * tombstone link is dropped so the delivery creates the document again (and links the new id); where
 * it archived it, the delivery writes the values back. Refused when another live record now has the
 * same natural key. A change ("restored", origin concord) and an audit row record it.
 */
export async function restoreRecord({ engine, actor, input }: { engine: Engine; actor: TActor; input: z.input<typeof ZRestoreRecordInput> }) {
  const { id } = ZRestoreRecordInput.parse(input);
  const now = engine.now();
  let result: { targets: string[]; entity: string };
  try {
    result = await engine.db.transaction(async (tx) => {
      const record = await lockRecord(tx, id);
      const entity = record ? engine.config.entities[record.entity] : undefined;
      if (!record || !entity) throw new SyncError("NOT_FOUND", `No record with id ${id}.`, { field: "id" });
      if (!record.deletedAt) throw new SyncError("CONFLICT", `This ${entity.label.toLowerCase()} is not deleted: there is nothing to restore.`, { field: "id" });
      const clash = await findLiveByNaturalKey(tx, entity.key, record.naturalKey);
      if (clash) {
        const label = String(clash.data[entity.displayField] ?? clash.naturalKey);
        throw new SyncError(
          "CONFLICT",
          `Another ${entity.label.toLowerCase()} ("${label}", id ${clash.id}) now has ${entity.naturalKey} "${record.naturalKey}": rename or delete it first, then restore this one.`,
          { field: entity.naturalKey },
        );
      }
      await tx.update(records).set({ deletedAt: null, version: sql`${records.version} + 1`, updatedAt: sql`now()` }).where(eq(records.id, id));
      const gone = (await linksOf(tx, id)).filter(isTombstone);
      if (gone.length) await tx.delete(links).where(inArray(links.id, gone.map((l) => l.id)));
      const fields = Object.keys(record.data);
      const targets = planTargets({ config: engine.config, entity: entity.key, origin: null, changedKeys: fields, created: true });
      await enqueueDeliveries(tx, { recordId: id, entity: entity.key, systems: targets, fields });
      const recreate = gone.map((l) => engine.config.systems[l.system]?.name ?? l.system);
      const detail = `restored by ${actor.label}${recreate.length ? `; created again in ${recreate.join(", ")}` : ""}`;
      await tx.insert(changes).values({ recordId: id, entity: entity.key, system: "concord", externalId: null, kind: "update", outcome: "restored", fields: [], detail, sourceTime: now });
      await writeAudit(tx, {
        actor,
        action: "records.restore",
        target: `${entity.key}:${id}`,
        before: { naturalKey: record.naturalKey, deletedAt: record.deletedAt.toISOString(), removedFrom: gone.map((l) => ({ system: l.system, externalId: l.externalId })) },
        after: { deleted: false, targets },
      });
      return { targets, entity: entity.key };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new SyncError("CONFLICT", "Another record took this natural key at the same moment: try again.", { field: "id" });
    throw err;
  }
  engine.bus.emit({ type: "change", recordId: id, system: "concord", outcome: "restored" });
  const [row] = await engine.db.select().from(records).where(eq(records.id, id));
  return { record: await toRecordView(engine.db, engine.config.entities[result.entity]!, row!), targets: result.targets };
}
