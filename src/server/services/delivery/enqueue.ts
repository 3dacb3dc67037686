import { sql } from "drizzle-orm";
import type { Db } from "~/server/db";
import { wakeOnCommit } from "~/server/db/wake-on-commit";
import { deliveries } from "~/server/db/schema";

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

/** The same for many (record, system) pairs in one statement; each pair at most once. */
export async function enqueueMany(tx: Db, rows: TEnqueueRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insert(deliveries)
    .values(rows)
    .onConflictDoUpdate({
      target: [deliveries.recordId, deliveries.system],
      targetWhere: sql`${deliveries.status} in ('pending', 'retrying')`,
      set: { fields: absorbedFields, updatedAt: sql`now()` },
    });
  wakeOnCommit(tx);
}

/** A waiting delivery absorbing a new one's fields: the union of both. */
export const absorbedFields = sql`(select coalesce(jsonb_agg(distinct f), '[]'::jsonb) from jsonb_array_elements_text(${deliveries.fields} || excluded.fields) f)`;
