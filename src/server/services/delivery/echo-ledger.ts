import { sql } from "drizzle-orm";
import type { TValues } from "~/sync/mapping";
import { queryRows, runText, type Db } from "~/server/db";
import type { Engine } from "~/server/engine/context";
import { GroupWriter, writerFor } from "./group-writer";

/**
 * The echo ledger: what Concord sent each system, kept on the delivery that sent it. A document that comes
 * back holding one of these values holds Concord's copy — however late or out of order its event arrives —
 * so it is never taken as a new edit there (lessons.md: "what Concord last wrote" is not enough).
 */

/** How far back a copy is recognised, and how many sends of one (record, system) are looked at. */
const LEDGER_WINDOW = sql`interval '1 hour'`;
const LEDGER_SENDS = 16;

type TNote = { deliveryId: number; entry: unknown[] };
const ledgerWriters = new WeakMap<Engine, GroupWriter<TNote, void>>();

/**
 * The ledger entries of many sends (one per delivery) in one statement, of one fixed text (parsed once per connection).
 * The ids as an array, so they are looked up by primary key (see the success statement).
 */
async function writeNotes(engine: Engine, notes: TNote[]): Promise<void[]> {
  await runText(
    engine.db,
    `update deliveries d set sent = coalesce(d.sent, '[]'::jsonb) || v.entry
       from jsonb_to_recordset($1::jsonb) as v(id bigint, entry jsonb)
      where d.id = any(array(select (x->>'id')::bigint from jsonb_array_elements($1::jsonb) x)) and d.id = v.id`,
    [JSON.stringify(notes.map((n) => ({ id: n.deliveryId, entry: n.entry })))],
  );
  return notes.map(() => undefined);
}

/**
 * Enters a send in the ledger before the request goes out (a send whose answer is lost may still be
 * applied), with what the target held of those fields before it, as far as Concord knew. It returns once the
 * entry is committed; sends noted at the same moment share one statement.
 */
export async function noteSent(engine: Engine, deliveryId: number, sent: TValues, agreed: TValues | null): Promise<void> {
  const prior = agreed ? Object.fromEntries(Object.keys(sent).filter((k) => k in agreed).map((k) => [k, agreed[k]])) : undefined;
  const entry = [{ values: sent, prior }];
  await writerFor(ledgerWriters, engine, () => new GroupWriter((notes) => writeNotes(engine, notes))).add({ deliveryId, entry });
}

/** The ledger's rows of one (record, system), newest first (`id`, `sent`): a fragment, so another read can carry it. */
export const ledgerRows = (opts: { recordId: string; system: string }) =>
  sql`select id, sent from deliveries
       where record_id = ${opts.recordId} and system = ${opts.system} and sent is not null and created_at > now() - ${LEDGER_WINDOW}
       order by id desc limit ${LEDGER_SENDS}`;

/** A send older than the ledger's window recognises nothing any more: its values are not kept past a day. */
export async function forgetOldSends(db: Db): Promise<number> {
  const rows = await queryRows(db, sql`update deliveries set sent = null where sent is not null and created_at < now() - interval '1 day' returning id`);
  return rows.length;
}
