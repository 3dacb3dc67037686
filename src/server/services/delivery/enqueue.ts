import { sql } from "drizzle-orm";
import type { Db } from "~/server/db";
import { deliveries } from "~/server/db/schema";

/**
 * The transactional outbox: call inside the transaction that changed the record. A delivery already
 * waiting for (record, system) absorbs the new fields (it sends the record's state when it runs).
 */
export async function enqueueDeliveries(
  tx: Db,
  opts: { recordId: string; entity: string; systems: string[]; fields: string[]; runId?: string | null },
): Promise<void> {
  if (opts.systems.length === 0) return;
  await tx
    .insert(deliveries)
    .values(opts.systems.map((system) => ({ recordId: opts.recordId, entity: opts.entity, system, fields: opts.fields, runId: opts.runId ?? null })))
    .onConflictDoUpdate({
      target: [deliveries.recordId, deliveries.system],
      targetWhere: sql`${deliveries.status} in ('pending', 'retrying')`,
      set: {
        fields: sql`(select coalesce(jsonb_agg(distinct f), '[]'::jsonb) from jsonb_array_elements_text(${deliveries.fields} || excluded.fields) f)`,
        updatedAt: sql`now()`,
      },
    });
}
