import { and, eq, inArray, isNull, notExists, sql } from "drizzle-orm";
import type { TEntity } from "~/sync/config";
import type { Db } from "~/server/db";
import { deliveries, links, possibleDuplicates, records } from "~/server/db/schema";
import { bestNearMatch, type TNearMatchScreen } from "./near-match-screen";

/**
 * The hook at the point a full run's creates are queued (call in the page's transaction, after it is
 * applied): a create this run queued for a system whose screen holds a near-match of the record is taken
 * back out of the outbox and kept as a "possible duplicate" for review. Returns how many were held.
 */
export async function holdNearMatches(tx: Db, opts: { runId: string; entity: TEntity; recordIds: string[]; screens: TNearMatchScreen[] }): Promise<number> {
  if (!opts.screens.length || !opts.recordIds.length) return 0;
  const { entity } = opts;
  const queued = await tx
    .select({ id: deliveries.id, recordId: deliveries.recordId, system: deliveries.system, naturalKey: records.naturalKey, name: sql<string | null>`${records.data} ->> ${entity.displayField}` })
    .from(deliveries)
    .innerJoin(records, eq(records.id, deliveries.recordId))
    .where(
      and(
        eq(deliveries.runId, opts.runId),
        eq(deliveries.status, "pending"),
        eq(deliveries.attempts, 0),
        inArray(deliveries.recordId, opts.recordIds),
        inArray(deliveries.system, opts.screens.map((s) => s.system)),
        isNull(records.deletedAt),
        notExists(tx.select({ one: sql`1` }).from(links).where(and(eq(links.recordId, deliveries.recordId), eq(links.system, deliveries.system)))),
      ),
    );
  if (!queued.length) return 0;
  // Documents whose key a live record holds will be linked to that record by its own create: not candidates.
  const keys = [...new Set(opts.screens.flatMap((s) => s.docs.map((d) => d.naturalKey).filter((k): k is string => k !== null)))];
  const spokenFor = new Set(
    keys.length
      ? (await tx.select({ k: records.naturalKey }).from(records).where(and(eq(records.entity, entity.key), inArray(records.naturalKey, keys), isNull(records.deletedAt)))).map((r) => r.k)
      : [],
  );
  const held: { deliveryId: number; row: typeof possibleDuplicates.$inferInsert }[] = [];
  for (const q of queued) {
    const screen = opts.screens.find((s) => s.system === q.system)!;
    const match = bestNearMatch(screen, q, spokenFor);
    if (!match) continue;
    held.push({
      deliveryId: q.id,
      row: { recordId: q.recordId, entity: entity.key, system: q.system, externalId: match.doc.externalId, externalName: match.doc.name, externalKey: match.doc.naturalKey, score: match.score, reason: match.reason, runId: opts.runId },
    });
  }
  if (!held.length) return 0;
  await tx.delete(deliveries).where(inArray(deliveries.id, held.map((h) => h.deliveryId)));
  await tx.insert(possibleDuplicates).values(held.map((h) => h.row)).onConflictDoNothing();
  return held.length;
}
