import { sql } from "drizzle-orm";
import type { TSentEntry } from "~/sync/echo";
import type { TValues } from "~/sync/mapping";
import { queryRows, type Db } from "~/server/db";
import type { Engine } from "~/server/engine/context";

/**
 * The echo ledger: what Concord sent each system, kept on the delivery that sent it. A document that comes
 * back holding one of these values holds Concord's copy — however late or out of order its event arrives —
 * so it is never taken as a new edit there (lessons.md: "what Concord last wrote" is not enough).
 */

/** How far back a copy is recognised, and how many sends of one (record, system) are looked at. */
const LEDGER_WINDOW = sql`interval '1 hour'`;
const LEDGER_SENDS = 16;

/**
 * Enters a send in the ledger before the request goes out (a send whose answer is lost may still be
 * applied), with what the target held of those fields before it, as far as Concord knew.
 */
export async function noteSent(engine: Engine, deliveryId: number, sent: TValues, agreed: TValues | null): Promise<void> {
  const prior = agreed ? Object.fromEntries(Object.keys(sent).filter((k) => k in agreed).map((k) => [k, agreed[k]])) : undefined;
  const entry = JSON.stringify([{ values: sent, prior }]);
  await engine.db.execute(sql`update deliveries set sent = coalesce(sent, '[]'::jsonb) || ${entry}::jsonb where id = ${deliveryId}`);
}

/** The SQL that stamps the last send of a delivery with the version its target answered with. */
export function versionLastSend(version: Date | null | undefined) {
  if (!version) return undefined;
  return sql`case when sent is null or jsonb_array_length(sent) = 0 then sent
    else jsonb_set(sent, array[(jsonb_array_length(sent) - 1)::text, 'version'], to_jsonb(${version.toISOString()}::text)) end`;
}

/** The recent sends of one (record, system), newest first. */
export async function readLedger(tx: Db, opts: { recordId: string; system: string }): Promise<TSentEntry[]> {
  const rows = await queryRows<{ sent: TSentEntry[] }>(
    tx,
    sql`select sent from deliveries
         where record_id = ${opts.recordId} and system = ${opts.system} and sent is not null and created_at > now() - ${LEDGER_WINDOW}
         order by id desc limit ${LEDGER_SENDS}`,
  );
  return rows.flatMap((r) => r.sent ?? []);
}

/** A send older than the ledger's window recognises nothing any more: its values are not kept past a day. */
export async function forgetOldSends(db: Db): Promise<number> {
  const rows = await queryRows(db, sql`update deliveries set sent = null where sent is not null and created_at < now() - interval '1 day' returning id`);
  return rows.length;
}
