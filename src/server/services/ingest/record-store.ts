import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "~/server/db";
import { links, records, type TLinkRow, type TRecordRow } from "~/server/db/schema";

/** Reads used by the ingest and delivery paths; `forUpdate` serialises changes to one record. */
export async function findLink(tx: Db, opts: { system: string; entity: string; externalId: string }): Promise<TLinkRow | undefined> {
  const [row] = await tx
    .select()
    .from(links)
    .where(and(eq(links.system, opts.system), eq(links.entity, opts.entity), eq(links.externalId, opts.externalId)))
    .limit(1);
  return row;
}

export async function lockRecord(tx: Db, id: string): Promise<TRecordRow | undefined> {
  const [row] = await tx.select().from(records).where(eq(records.id, id)).for("update").limit(1);
  return row;
}

export async function findLiveByNaturalKey(tx: Db, entity: string, naturalKey: string): Promise<TRecordRow | undefined> {
  const [row] = await tx
    .select()
    .from(records)
    .where(and(eq(records.entity, entity), eq(records.naturalKey, naturalKey), isNull(records.deletedAt)))
    .for("update")
    .limit(1);
  return row;
}

export async function linksOf(tx: Db, recordId: string): Promise<TLinkRow[]> {
  return tx.select().from(links).where(eq(links.recordId, recordId));
}

/** Links a record in a system unless that external id or that (record, system) is already linked. */
export async function linkIfFree(
  tx: Db,
  opts: { recordId: string; entity: string; system: string; externalId: string; origin: string; lastValues: Record<string, unknown> | null },
): Promise<boolean> {
  const inserted = await tx
    .insert(links)
    .values({ ...opts, lastSyncedAt: opts.lastValues ? sql`now()` : null })
    .onConflictDoNothing()
    .returning({ id: links.id });
  return inserted.length > 0;
}
