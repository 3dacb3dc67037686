import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import type { Db } from "~/server/db";
import { driftChecks, driftItems, links, type TLinkRow } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { enqueueDeliveries } from "../delivery/enqueue";
import { lockRecord } from "../ingest/record-store";
import { writeAudit } from "../write-audit";
import { ZDriftCheckId } from "./drift-view";

export const MAX_AGREE_RECORDS = 5000;

/** Some records of a check, or all with open drift, confirmed by the count of records the admin was shown. */
export const ZMakeThemAgreeInput = z.union([
  z.object({ checkId: ZDriftCheckId, recordIds: z.array(z.uuid()).min(1).max(500) }),
  z.object({ checkId: ZDriftCheckId, all: z.literal(true), expectedCount: z.number().int().min(0).max(MAX_AGREE_RECORDS) }),
]);

export const ZMakeThemAgreeResult = z.object({
  /** Records that had a write queued. */
  records: z.number(),
  /** (record, system) writes queued. */
  deliveries: z.number(),
  /** Drift items marked fixed. */
  fixed: z.number(),
  /** Items left open: the record is gone, no longer linked to that document, or the field is held by a conflict. */
  skipped: z.number(),
});
export type TMakeThemAgreeResult = z.infer<typeof ZMakeThemAgreeResult>;

type TItem = typeof driftItems.$inferSelect;

/**
 * Forgets what Concord believes the system holds for these fields, so the next delivery sends them, and the
 * version it saw there, so that delivery is not conditional (If-Match): the admin chose Concord's values over
 * what the system holds, so its write must not be refused and turned back into the system's edit.
 */
async function forgetAgreed(tx: Db, link: TLinkRow, fields: string[]): Promise<void> {
  const lastValues = Object.fromEntries(Object.entries(link.lastValues ?? {}).filter(([k]) => !fields.includes(k)));
  await tx.update(links).set({ lastValues, seenAt: null }).where(eq(links.id, link.id));
}

/** One (record, system) pair: queue the write and mark its items fixed; returns the items fixed (none when it cannot be fixed from here). */
async function agreePair(tx: Db, items: TItem[], at: Date): Promise<TItem[]> {
  const { recordId, system, externalId, entity } = items[0]!;
  const record = await lockRecord(tx, recordId);
  if (!record || record.deletedAt) return [];
  const [link] = await tx.select().from(links).where(and(eq(links.recordId, recordId), eq(links.system, system))).for("update").limit(1);
  if (!link || link.externalId !== externalId) return [];
  const fixable = items.filter((i) => !record.held[i.field]);
  if (fixable.length === 0) return [];
  const fields = [...new Set(fixable.map((i) => i.field))].sort();
  await forgetAgreed(tx, link, fields);
  await enqueueDeliveries(tx, { recordId, entity, systems: [system], fields });
  await tx.update(driftItems).set({ status: "fixed", fixedAt: at }).where(inArray(driftItems.id, fixable.map((i) => i.id)));
  return fixable;
}

/**
 * "Make them agree": Concord's canonical value wins. For every drifted (record, system) chosen, the
 * link forgets the values Concord believed that system held for the drifted fields, so the queued
 * delivery sends them (it sends what differs from the link's last agreed values); the items are marked
 * fixed. One transaction, one audit row; the workers are woken.
 */
export async function makeThemAgree({ engine, actor, input }: { engine: Engine; actor: TActor; input: z.input<typeof ZMakeThemAgreeInput> }): Promise<TMakeThemAgreeResult> {
  const parsed = ZMakeThemAgreeInput.parse(input);
  const at = engine.now();
  const result = await engine.db.transaction(async (tx) => {
    const [check] = await tx.select().from(driftChecks).where(eq(driftChecks.id, parsed.checkId)).limit(1);
    if (!check) throw new SyncError("NOT_FOUND", `There is no drift check ${parsed.checkId}.`, { field: "checkId" });
    const scope = "recordIds" in parsed ? inArray(driftItems.recordId, parsed.recordIds) : undefined;
    const items = await tx
      .select()
      .from(driftItems)
      .where(and(eq(driftItems.checkId, check.id), eq(driftItems.status, "open"), scope))
      .orderBy(asc(driftItems.recordId), asc(driftItems.system), asc(driftItems.id))
      .for("update");
    const recordCount = new Set(items.map((i) => i.recordId)).size;
    if ("all" in parsed && recordCount !== parsed.expectedCount) {
      throw new SyncError("CONFLICT", `${recordCount} records have open drift in this check now, not ${parsed.expectedCount}: reload and confirm again.`, { field: "expectedCount" });
    }
    const pairs = new Map<string, TItem[]>();
    for (const i of items) pairs.set(`${i.recordId}|${i.system}`, [...(pairs.get(`${i.recordId}|${i.system}`) ?? []), i]);
    const fixedPairs: { recordId: string; system: string; fields: string[] }[] = [];
    let fixed = 0;
    for (const group of pairs.values()) {
      const done = await agreePair(tx, group, at);
      if (done.length === 0) continue;
      fixed += done.length;
      fixedPairs.push({ recordId: group[0]!.recordId, system: group[0]!.system, fields: [...new Set(done.map((i) => i.field))].sort() });
    }
    const out: TMakeThemAgreeResult = { records: new Set(fixedPairs.map((p) => p.recordId)).size, deliveries: fixedPairs.length, fixed, skipped: items.length - fixed };
    await writeAudit(tx, {
      actor,
      action: "drift.makeAgree",
      target: `drift-check:${check.id}`,
      before: "recordIds" in parsed ? { entity: check.entity, recordIds: parsed.recordIds.slice(0, 100) } : { entity: check.entity, all: true, expectedCount: parsed.expectedCount },
      after: { ...out, pairs: fixedPairs.slice(0, 100) },
    });
    return out;
  });
  return result;
}
