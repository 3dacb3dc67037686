import { sql } from "drizzle-orm";
import { bindingFor } from "~/sync/config";
import { jsonValue, queryRows, runText } from "~/server/db";
import type { Engine } from "~/server/engine/context";
import { envelopeOf } from "./receive-webhook";

export interface TClaimedEvent {
  id: number;
  system: string;
  body: string;
  attempts: number;
  /** The document it is about (system, entity, external id); null when the body cannot be read (it fails when applied). */
  doc: string | null;
}

/** A held-back event is looked at again after this: the older event before it is being applied, or waits for a retry. */
const HOLD_BACK_MS = 1_000;

/** What a stored event is about, read from its body as `toChange` reads it; nulls when the body cannot be read. */
export function eventAbout(engine: Engine, system: string, body: string): { type: string | null; entity: string | null; documentId: string | null } {
  try {
    const envelope = envelopeOf(engine, system, JSON.parse(body));
    const entity = envelope.type.split(".")[0]!;
    const binding = bindingFor(engine.config, entity, system);
    const id = binding ? envelope.data[binding.idField] : undefined;
    return { type: envelope.type, entity, documentId: id === undefined || id === null ? null : String(id) };
  } catch {
    return { type: null, entity: null, documentId: null };
  }
}

/** The document an event is about, as one key (system, entity, external id); null when the body cannot be read. */
export function documentOf(engine: Engine, system: string, body: string): string | null {
  const { entity, documentId } = eventAbout(engine, system, body);
  return documentId === null ? null : JSON.stringify([system, entity, documentId]);
}

/** Whether a stored event of this document is not applied yet (waiting, held back, or being applied). */
export async function hasUnfinishedEvents(engine: Engine, doc: { system: string; entity: string; externalId: string }): Promise<boolean> {
  const rows = await queryRows<{ body: string }>(engine.db, sql`select body from webhook_events where system = ${doc.system} and status in ('pending', 'processing')`);
  const key = JSON.stringify([doc.system, doc.entity, doc.externalId]);
  return rows.some((r) => documentOf(engine, doc.system, r.body) === key);
}

const idList = (ids: number[]) => sql.join(ids.map((id) => sql`${id}`), sql`, `);

/**
 * Claims stored events, oldest first, with SKIP LOCKED and a lease (renewed by `renewEventLeases` while they are
 * applied; a claim whose worker died comes back when the lease runs out). An event is applied only after every
 * older event of the same document: one whose document has an older event not in this batch that is still
 * waiting (held by another worker, or waiting for a retry) is handed back at once, to be claimed again after
 * it. Without that, a dead worker's event would be applied after a newer one for the same document.
 *
 * The document is inside the body (each system has its envelope), so the claim (`concord_claim_webhook_events`,
 * drizzle/0012: one round trip, committed without waiting for a flush) also returns the older unfinished events
 * outside the batch, whose bodies are parsed here; normally there are none, or the few another worker holds.
 */
export async function claimWebhookEvents(engine: Engine, opts: { limit: number; leaseMs: number }): Promise<TClaimedEvent[]> {
  const [row] = await runText<{ claimed: TClaimJson | string }>(engine.db, "select concord_claim_webhook_events($1::float8, $2::int) as claimed", [opts.leaseMs, opts.limit]);
  const { claimed, older } = jsonValue<TClaimJson>(row?.claimed)!;
  if (claimed.length === 0) return [];
  const events = claimed
    .map((e) => ({ id: Number(e.id), system: e.system, body: e.body, attempts: Number(e.attempts), doc: documentOf(engine, e.system, e.body) }))
    .sort((a, b) => a.id - b.id);
  // The oldest unfinished event outside the batch, per document.
  const firstWaiting = new Map<string, number>();
  for (const o of older) {
    const doc = documentOf(engine, o.system, o.body);
    if (doc !== null && !(Number(o.id) >= (firstWaiting.get(doc) ?? Infinity))) firstWaiting.set(doc, Number(o.id));
  }
  const blocked = events.filter((e) => e.doc !== null && (firstWaiting.get(e.doc) ?? Infinity) < e.id);
  if (blocked.length === 0) return events;
  await releaseEvents(engine, blocked.map((e) => e.id));
  const held = new Set(blocked.map((e) => e.id));
  return events.filter((e) => !held.has(e.id));
}

/** What the claim returns: the claimed events, and the unfinished ones older than the newest of them outside the batch. */
type TClaimJson = { claimed: { id: number; system: string; body: string; attempts: number }[]; older: { id: number; system: string; body: string }[] };

/**
 * Hands claimed events back untouched (not counted as an attempt), to be claimed again in a moment: an older
 * event of the same document has to be applied first.
 */
export async function releaseEvents(engine: Engine, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await engine.db.execute(
    sql`update webhook_events set status = 'pending', attempts = greatest(attempts - 1, 0), lease_until = now() + (${HOLD_BACK_MS}::float8 * interval '1 millisecond')
         where id in (${idList(ids)}) and status = 'processing'`,
  );
}

/** Keeps the claims of the events a worker still holds alive, in one statement. */
export async function renewEventLeases(engine: Engine, ids: number[], leaseMs: number): Promise<void> {
  if (ids.length === 0) return;
  await engine.db.execute(
    sql`update webhook_events set lease_until = now() + (${leaseMs}::float8 * interval '1 millisecond')
         where id in (${idList(ids)}) and status = 'processing'`,
  );
}

/**
 * How long until the first event handed back (or waiting for a short retry) may be claimed again, when that is
 * within `withinMs`; null when none is. A drain (RUN_WORKERS=false, cron) waits for it rather than stop and leave
 * it to the next webhook or the next minute.
 */
export async function nextHeldBackInMs(engine: Engine, withinMs: number): Promise<number | null> {
  const [row] = await queryRows<{ ms: number | string | null }>(
    engine.db,
    sql`select extract(epoch from (min(lease_until) - now())) * 1000 as ms from webhook_events
         where status = 'pending' and lease_until > now() and lease_until <= now() + (${withinMs}::float8 * interval '1 millisecond')`,
  );
  return row?.ms === null || row?.ms === undefined ? null : Math.max(0, Number(row.ms));
}
