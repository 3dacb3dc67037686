import { eq, sql } from "drizzle-orm";
import { bindingsOf, isSourceBinding, type TBinding, type TSyncConfig } from "~/sync/config";
import type { Db } from "~/server/db";
import { links, records, type TLinkRow, type TRecordRow } from "~/server/db/schema";
import { enqueueDeliveries } from "../delivery/enqueue";
import { lockRecord } from "./record-store";
import type { TApplyResult } from "./types";


/**
 * A delete seen in a system. From a system that may write: the record gets a tombstone and every other
 * linked system hears of it (each binding decides delete / archive / ignore). From a system that only
 * receives: Concord is the source, so the record is put back there.
 */
export async function applyDelete(
  tx: Db,
  opts: { config: TSyncConfig; binding: TBinding; link: TLinkRow | undefined; record?: TRecordRow; at: Date; runId?: string | null },
): Promise<TApplyResult> {
  const { binding, link } = opts;
  if (!link) return { outcome: "ignored", recordId: null, fields: [], targets: [], detail: "not linked to any record" };
  const record = opts.record ?? (await lockRecord(tx, link.recordId));
  if (!record || record.deletedAt) return { outcome: "echo", recordId: link.recordId, fields: [], targets: [], detail: "already deleted" };

  if (!isSourceBinding(binding)) {
    await tx.delete(links).where(eq(links.id, link.id));
    await enqueueDeliveries(tx, { recordId: record.id, entity: record.entity, systems: [binding.system], fields: [], runId: opts.runId });
    return { outcome: "foreign", recordId: record.id, fields: [], targets: [binding.system], detail: `${binding.system} only receives; putting it back` };
  }

  await tx
    .update(records)
    .set({ deletedAt: opts.at, version: sql`${records.version} + 1`, updatedAt: sql`now()` })
    .where(eq(records.id, record.id));
  await tx.update(links).set({ lastValues: { $deleted: true }, lastSyncedAt: sql`now()` }).where(eq(links.id, link.id));
  // Every other binding, not only those linked now: a create still in flight there links after this
  // commits, and the delete delivery (queued behind it, one at a time per pair) then removes it.
  const targets = bindingsOf(opts.config, record.entity)
    .map((b) => b.system)
    .filter((s) => s !== binding.system);
  await enqueueDeliveries(tx, { recordId: record.id, entity: record.entity, systems: targets, fields: [], runId: opts.runId });
  return { outcome: "deleted", recordId: record.id, fields: [], targets };
}
