import type { TConnectorAttempt } from "~/sync/connectors";
import { idKey } from "~/sync/mapping";
import { runText, type Db } from "~/server/db";
import { wakeOnCommit } from "~/server/db/wake-on-commit";
import type { TClaimed } from "./claim";

/**
 * The one writer of a delivery's success — link, id write-backs, attempts, status and the echo ledger's version, as
 * data-modifying CTEs — written as text with `$n` parameters, for many successes at once: the worker's hottest
 * statement, built without a query builder (a Drizzle builder per delivery cost more CPU than the rest of the
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
    excerpt: a.excerpt.slice(0, 500),
    error: i === attempts.length - 1 ? error : null,
    durationMs: Math.round(a.durationMs),
  }));
}

/**
 * Records these successes (at most one per record: two may queue the same write-back) in one statement through `db`
 * (a transaction or not), waking the workers for the write-backs it queues once that commits. Returns, per row,
 * the external id its link holds now.
 */
export async function writeSuccesses(db: Db, rows: TSuccessRow[]): Promise<(string | null)[]> {
  const { text, params } = successStatement(rows);
  const [row] = await runText<Record<string, string | null>>(db, text, params);
  if (rows.some((r) => r.keepers.length > 0)) wakeOnCommit(db);
  return rows.map((_, n) => row?.[`linked${n}`] ?? null);
}

/** The text and parameters for these successes. */
function successStatement(rows: TSuccessRow[]): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const ctes: string[] = [];
  const linked: string[] = [];
  rows.forEach((r, n) => {
    const c = r.claimed;
    if (r.externalId) {
      const insertValues = r.deleted ? '{"$deleted":true}' : r.sent ? JSON.stringify(r.sent) : null;
      const merge = r.deleted ? `'{"$deleted":true}'::jsonb` : `coalesce(links.last_values, '{}'::jsonb) - '$deleted' || ${p(JSON.stringify(r.sent ?? {}))}::jsonb`;
      ctes.push(`l${n} as (insert into links (record_id, entity, system, external_id, last_values, origin, last_synced_at, seen_at)
        values (${p(c.record_id)}::uuid, ${p(c.entity)}, ${p(c.system)}, ${p(r.externalId)}, ${p(insertValues)}::jsonb, ${p(r.linkedBy ?? "sync")}, now(), ${p(r.version ? r.version.toISOString() : null)}::timestamptz)
        on conflict (record_id, system) do update set
          external_id = case when links.last_values ? '$deleted' then excluded.external_id else links.external_id end,
          last_values = ${merge}, last_synced_at = now(), seen_at = greatest(links.seen_at, excluded.seen_at)
        returning external_id)`);
      linked.push(`(select external_id from l${n}) as linked${n}`);
    } else linked.push(`null::text as linked${n}`);
    if (r.keepers.length) {
      const fields = JSON.stringify([idKey(c.system)]);
      const values = r.keepers.map((system) => `(${p(c.record_id)}::uuid, ${p(c.entity)}, ${p(system)}, ${p(fields)}::jsonb, ${p(c.run_id)}::uuid)`);
      ctes.push(`e${n} as (insert into deliveries (record_id, entity, system, fields, run_id) values ${values.join(", ")}
        on conflict (record_id, system) where status in ('pending', 'retrying') do update set
          fields = (select coalesce(jsonb_agg(distinct f), '[]'::jsonb) from jsonb_array_elements_text(deliveries.fields || excluded.fields) f),
          updated_at = now())`);
    }
    if (r.attempts.length) {
      const values = attemptValues(c.id, r.attempts, "success", null).map(
        (a) => `(${p(a.deliveryId)}::bigint, ${p(a.method)}, ${p(a.url)}, ${p(a.statusCode)}::int, ${p(a.outcome)}, ${p(a.excerpt)}, ${p(a.error)}, ${p(a.durationMs)}::int)`,
      );
      ctes.push(`a${n} as (insert into delivery_attempts (delivery_id, method, url, status_code, outcome, excerpt, error, duration_ms) values ${values.join(", ")})`);
    }
    // The target's version of the document after the write stamps the last send in the echo ledger.
    const version = r.version
      ? `, sent = case when sent is null or jsonb_array_length(sent) = 0 then sent
          else jsonb_set(sent, array[(jsonb_array_length(sent) - 1)::text, 'version'], to_jsonb(${p(r.version.toISOString())}::text)) end`
      : "";
    ctes.push(`d${n} as (update deliveries set status = 'succeeded', action = ${p(r.action)}, last_error = null, finished_at = now(), updated_at = now(),
        lease_until = null, waiting_for = null${version} where id = ${p(c.id)}::bigint and status = 'in_flight')`);
  });
  return { text: `with ${ctes.join(", ")} select ${linked.join(", ")}`, params };
}
