import { inArray, sql } from "drizzle-orm";
import type { Db } from "~/server/db";
import { records, type TRecordRow } from "~/server/db/schema";

/** What a delivery needs to know of its record: the record, and where it is linked with what was last agreed. */
export interface TDeliveryState {
  record: TRecordRow;
  /** `seenAt`: the newest version of the document Concord has seen there (ISO), the precondition of an update. */
  links: { system: string; externalId: string; lastValues: Record<string, unknown> | null; seenAt: string | null }[];
}

type TLinkJson = TDeliveryState["links"][number];

/**
 * Loads the records of a claimed batch and their links in one statement (a delivery used to read the
 * record and then its links: two round trips each). A record that is gone is simply absent.
 */
export async function loadDeliveryStates(db: Db, recordIds: string[]): Promise<Map<string, TDeliveryState>> {
  const ids = [...new Set(recordIds)];
  const out = new Map<string, TDeliveryState>();
  if (ids.length === 0) return out;
  // Qualified on purpose: inside this subquery a bare column of `records` would render as "id" and bind to links.id.
  const rows = await db
    .select({
      record: records,
      links: sql<TLinkJson[] | string | null>`(select jsonb_agg(jsonb_build_object('system', l.system, 'externalId', l.external_id, 'lastValues', l.last_values, 'seenAt', l.seen_at))
                 from links l where l.record_id = "records"."id")`,
    })
    .from(records)
    .where(inArray(records.id, ids));
  for (const row of rows) {
    const links = typeof row.links === "string" ? (JSON.parse(row.links) as TLinkJson[]) : (row.links ?? []);
    out.set(row.record.id, { record: row.record, links });
  }
  return out;
}
