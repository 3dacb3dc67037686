import { sql } from "drizzle-orm";
import { runRows, type Db } from "~/server/db";
import { wakeOnCommit } from "~/server/db/wake-on-commit";

/**
 * The transactional outbox: call inside the transaction that changed the record. A delivery already
 * waiting for (record, system) absorbs the new fields (it sends the record's state when it runs). The workers
 * are woken once the transaction commits (wakeOnCommit): no caller wakes them.
 */
export async function enqueueDeliveries(
  tx: Db,
  opts: { recordId: string; entity: string; systems: string[]; fields: string[]; runId?: string | null },
): Promise<void> {
  await enqueueMany(
    tx,
    opts.systems.map((system) => ({ recordId: opts.recordId, entity: opts.entity, system, fields: opts.fields, runId: opts.runId ?? null })),
  );
}

type TEnqueueRow = { recordId: string; entity: string; system: string; fields: string[]; runId: string | null };

const ABSORBED_FIELDS = "(select coalesce(jsonb_agg(distinct f), '[]'::jsonb) from jsonb_array_elements_text(deliveries.fields || excluded.fields) f)";

/** Many (record, system) pairs as one parameter (one JSON array): a fixed text, not a builder rendering every row. */
const ENQUEUE_MANY = `insert into deliveries (record_id, entity, system, fields, run_id)
  select x.record_id, x.entity, x.system, x.fields, x.run_id
    from jsonb_to_recordset($1::jsonb) as x(n int, record_id uuid, entity text, system text, fields jsonb, run_id uuid)
   order by x.n
  on conflict (record_id, system) where status in ('pending', 'retrying')
  do update set fields = ${ABSORBED_FIELDS}, updated_at = now()`;

/** The same for many (record, system) pairs in one statement; each pair at most once. */
export async function enqueueMany(tx: Db, rows: TEnqueueRow[]): Promise<void> {
  if (rows.length === 0) return;
  await runRows(tx, ENQUEUE_MANY, rows.map((r) => ({ record_id: r.recordId, entity: r.entity, system: r.system, fields: r.fields, run_id: r.runId })));
  wakeOnCommit(tx);
}

/** A waiting delivery absorbing a new one's fields: the union of both. */
export const absorbedFields = sql.raw(ABSORBED_FIELDS);
