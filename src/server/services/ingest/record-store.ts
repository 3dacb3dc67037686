import { and, eq, isNull, sql } from "drizzle-orm";
import { queryRows, type Db } from "~/server/db";
import { deliveries, links, records, type TLinkRow, type TRecordRow } from "~/server/db/schema";

/** Reads used by the ingest and delivery paths; `forUpdate` serialises changes to one record. */
export async function findLink(tx: Db, opts: { system: string; entity: string; externalId: string }): Promise<TLinkRow | undefined> {
  const [row] = await tx
    .select()
    .from(links)
    .where(and(eq(links.system, opts.system), eq(links.entity, opts.entity), eq(links.externalId, opts.externalId)))
    .limit(1);
  return row;
}

/**
 * A document's link with its record locked (FOR UPDATE, as `lockRecord`) and the systems the record is linked in,
 * in one statement: what applying a change to a linked document reads first. A link always has its record.
 */
export async function findLinkLocked(
  tx: Db,
  opts: { system: string; entity: string; externalId: string },
): Promise<{ link: TLinkRow; record: TRecordRow; linkedIn: string[] } | undefined> {
  const [row] = await tx
    .select({ link: links, record: records, linkedIn: sql<string[]>`array(select l2.system from links l2 where l2.record_id = ${records.id})` })
    .from(links)
    .innerJoin(records, eq(records.id, links.recordId))
    .where(and(eq(links.system, opts.system), eq(links.entity, opts.entity), eq(links.externalId, opts.externalId)))
    .for("update", { of: records })
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

/** Concord is creating the record in `system` right now: a delivery in flight there and no link yet. */
const createInFlight = (recordId: unknown, system: string) =>
  sql`exists (select 1 from ${deliveries} d where d.record_id = ${recordId} and d.system = ${system} and d.status = 'in_flight' and d.lease_until > now())
    and not exists (select 1 from ${links} l where l.record_id = ${recordId} and l.system = ${system})`;

/**
 * A deleted record Concord is creating in `system` right now (a create still in flight there): a document
 * of that system with its natural key is the echo of that create, arriving before its link is stored.
 */
export async function findDeletedBeingCreated(tx: Db, opts: { entity: string; naturalKey: string; system: string }): Promise<TRecordRow | undefined> {
  const [row] = await tx
    .select()
    .from(records)
    .where(and(eq(records.entity, opts.entity), eq(records.naturalKey, opts.naturalKey), sql`${records.deletedAt} is not null`, createInFlight(records.id, opts.system)))
    .limit(1);
  return row;
}

/** The live record is being created in `system` right now: a document there with its natural key is that create's echo. */
export async function isBeingCreated(tx: Db, recordId: string, system: string): Promise<boolean> {
  const [row] = await queryRows<{ yes: boolean }>(tx, sql`select ${createInFlight(recordId, system)} as yes`);
  return row?.yes === true;
}

export async function linksOf(tx: Db, recordId: string): Promise<TLinkRow[]> {
  return tx.select().from(links).where(eq(links.recordId, recordId));
}

/** Links a record in a system unless that external id or that (record, system) is already linked. */
export async function linkIfFree(
  tx: Db,
  opts: { recordId: string; entity: string; system: string; externalId: string; origin: string; lastValues: Record<string, unknown> | null; seenAt?: Date | null },
): Promise<boolean> {
  const inserted = await tx
    .insert(links)
    .values({ ...opts, lastSyncedAt: opts.lastValues ? sql`now()` : null })
    .onConflictDoNothing()
    .returning({ id: links.id });
  return inserted.length > 0;
}
