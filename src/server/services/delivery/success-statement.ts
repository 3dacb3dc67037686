import type { TConnectorAttempt } from "~/sync/connectors";
import { excerptOf } from "~/sync/connectors/http";
import { idKey } from "~/sync/mapping";
import { runText, type Db } from "~/server/db";
import { wakeOnCommit } from "~/server/db/wake-on-commit";
import type { TClaimed } from "./claim";

/**
 * The one writer of a delivery's success — link, id write-backs, attempts, status and the echo ledger's version, as
 * data-modifying CTEs — one fixed text with three jsonb parameters, for any number of successes at once: the worker's
 * hottest statement, built without a query builder (a Drizzle builder per delivery cost more CPU than the rest of the
 * statement's path). Every success goes through writeSuccesses: the grouped plain ones, and a new link's inside the
 * transaction that also settles the children waiting for it.
 */

export interface TSuccessRow {
  claimed: TClaimed;
  action: string;
  externalId?: string;
  sent?: Record<string, unknown>;
  deleted?: boolean;
  linkedBy?: string;
  version?: Date | null;
  attempts: TConnectorAttempt[];
  /** Systems that keep this system's id (the Dashboard's cms_id): told it by a new delivery. */
  keepers: string[];
}

/** Rows of one attempt list as stored (the last one carries the outcome). */
export function attemptValues(deliveryId: number, attempts: TConnectorAttempt[], outcome: string, error: string | null) {
  return attempts.map((a, i) => ({
    deliveryId,
    method: a.method,
    url: a.url,
    statusCode: a.status,
    outcome: i === attempts.length - 1 ? outcome : "success",
    excerpt: excerptOf(a.excerpt),
    error: i === attempts.length - 1 ? error : null,
    durationMs: Math.round(a.durationMs),
  }));
}

/**
 * Records these successes in one statement through `db` (a transaction or not), waking the workers for the
 * write-backs it queues once that commits. Returns, per row, the external id its link holds now. At most one
 * row per (record, system) — the queue holds one delivery of a pair in flight at a time; two successes of one
 * record (its CMS and its Lead Centre create) may share a statement, their write-backs merged into one delivery.
 */
export async function writeSuccesses(db: Db, rows: TSuccessRow[]): Promise<(string | null)[]> {
  if (rows.length === 0) return [];
  const out = await runText<{ n: number; linked: string | null }>(db, SUCCESS_STATEMENT, successParams(rows));
  if (rows.some((r) => r.keepers.length > 0)) wakeOnCommit(db);
  const linked = new Map(out.map((r) => [Number(r.n), r.linked]));
  return rows.map((_, n) => linked.get(n) ?? null);
}

/**
 * The statement's text never changes, so Postgres parses and plans it once per connection (a text built per batch
 * was a new statement to parse, describe and plan for nearly every batch). Its rows come as three jsonb arrays:
 * the successes, the write-backs they queue, the attempts they made.
 */
const SUCCESS_STATEMENT = `
with s as (
  select * from jsonb_to_recordset($1::jsonb) as x(n int, id bigint, record_id uuid, entity text, system text, external_id text,
    last_values jsonb, linked_by text, version text, action text)
), l as (
  insert into links (record_id, entity, system, external_id, last_values, origin, last_synced_at, seen_at)
  select record_id, entity, system, external_id, last_values, coalesce(linked_by, 'sync'), now(), version::timestamptz from s where external_id is not null
  on conflict (record_id, system) do update set
    external_id = case when links.last_values ? '$deleted' then excluded.external_id else links.external_id end,
    last_values = case when excluded.last_values ? '$deleted' then excluded.last_values
                       else coalesce(links.last_values, '{}'::jsonb) - '$deleted' || coalesce(excluded.last_values, '{}'::jsonb) end,
    last_synced_at = now(), seen_at = greatest(links.seen_at, excluded.seen_at)
  returning record_id, system, external_id
), e as (
  insert into deliveries (record_id, entity, system, fields, run_id)
  select record_id, min(entity), system, jsonb_agg(distinct field), (array_agg(run_id))[1]
    from jsonb_to_recordset($2::jsonb) as w(record_id uuid, entity text, system text, field text, run_id uuid)
   group by record_id, system
  on conflict (record_id, system) where status in ('pending', 'retrying') do update set
    fields = (select coalesce(jsonb_agg(distinct f), '[]'::jsonb) from jsonb_array_elements_text(deliveries.fields || excluded.fields) f),
    updated_at = now()
), a as (
  insert into delivery_attempts (delivery_id, method, url, status_code, outcome, excerpt, error, duration_ms)
  select delivery_id, method, url, status_code, outcome, excerpt, error, duration_ms
    from jsonb_to_recordset($3::jsonb) as t(delivery_id bigint, method text, url text, status_code int, outcome text, excerpt text, error text, duration_ms int)
), d as (
  -- The target's version of the document after the write stamps the last send in the echo ledger. The ids as an
  -- array: looked up by primary key, whatever the planner guesses of a recordset's size (a guess of 100 rows once
  -- made it scan the whole table).
  update deliveries set status = 'succeeded', action = s.action, last_error = null, finished_at = now(), updated_at = now(),
         lease_until = null, waiting_for = null,
         sent = case when s.version is null or deliveries.sent is null or jsonb_array_length(deliveries.sent) = 0 then deliveries.sent
                     else jsonb_set(deliveries.sent, array[(jsonb_array_length(deliveries.sent) - 1)::text, 'version'], to_jsonb(s.version)) end
    from s where deliveries.id = any(array(select s.id from s)) and deliveries.id = s.id and deliveries.status = 'in_flight'
)
select s.n, l.external_id as linked from s join l on l.record_id = s.record_id and l.system = s.system`;

/** The statement's three parameters for these successes. */
function successParams(rows: TSuccessRow[]): [string, string, string] {
  const successes = rows.map((r, n) => ({
    n,
    id: r.claimed.id,
    record_id: r.claimed.record_id,
    entity: r.claimed.entity,
    system: r.claimed.system,
    external_id: r.externalId ? r.externalId : null, // an empty id stores no link (as before)
    last_values: r.deleted ? { $deleted: true } : (r.sent ?? null),
    linked_by: r.linkedBy ?? null,
    version: r.version ? r.version.toISOString() : null,
    action: r.action,
  }));
  const writeBacks = rows.flatMap((r) =>
    r.keepers.map((system) => ({ record_id: r.claimed.record_id, entity: r.claimed.entity, system, field: idKey(r.claimed.system), run_id: r.claimed.run_id })),
  );
  const attempts = rows.flatMap((r) =>
    attemptValues(r.claimed.id, r.attempts, "success", null).map((a) => ({
      delivery_id: a.deliveryId,
      method: a.method,
      url: a.url,
      status_code: a.statusCode,
      outcome: a.outcome,
      excerpt: a.excerpt,
      error: a.error,
      duration_ms: a.durationMs,
    })),
  );
  return [JSON.stringify(successes), JSON.stringify(writeBacks), JSON.stringify(attempts)];
}
