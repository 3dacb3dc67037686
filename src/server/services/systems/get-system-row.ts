import { count, eq, inArray } from "drizzle-orm";
import type { Db } from "~/server/db";
import { deliveries, systems, type TSystemRow } from "~/server/db/schema";
import { emptyCounts, ZDeliveryStatus, type TDeliveryCounts } from "./system-view";

/** The connection row of a configured system, created with defaults when missing; locked when `forUpdate`. */
export async function getSystemRow(db: Db, key: string, opts: { forUpdate?: boolean } = {}): Promise<TSystemRow> {
  const select = () => {
    const q = db.select().from(systems).where(eq(systems.key, key)).limit(1);
    return opts.forUpdate ? q.for("update") : q;
  };
  let [row] = await select();
  if (!row) {
    await db.insert(systems).values({ key }).onConflictDoNothing();
    [row] = await select();
  }
  return row!;
}

/** Deliveries per system and status, every status present (0 when none). */
export async function deliveryCountsBySystem(db: Db, keys: string[]): Promise<Map<string, TDeliveryCounts>> {
  const out = new Map(keys.map((k) => [k, emptyCounts()]));
  if (keys.length === 0) return out;
  const rows = await db
    .select({ system: deliveries.system, status: deliveries.status, n: count() })
    .from(deliveries)
    .where(inArray(deliveries.system, keys))
    .groupBy(deliveries.system, deliveries.status);
  for (const r of rows) {
    const status = ZDeliveryStatus.safeParse(r.status);
    const counts = out.get(r.system);
    if (status.success && counts) counts[status.data] = Number(r.n);
  }
  return out;
}
