import { sql } from "drizzle-orm";
import { queryRows } from "~/server/db";
import type { Engine } from "~/server/engine/context";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Takes one request slot for a system in the current wall-clock second. The count lives in the
 * database, so all worker processes together never exceed the limit; a full second waits for the next.
 */
export async function acquireRequestSlot(engine: Engine, system: string, perSecond: number): Promise<void> {
  const capacity = Math.max(1, Math.floor(perSecond));
  const windowSeconds = perSecond >= 1 ? 1 : Math.ceil(1 / perSecond);
  for (;;) {
    const nowMs = Date.now();
    const window = Math.floor(nowMs / 1000 / windowSeconds);
    const rows = await queryRows(
      engine.db,
      sql`insert into rate_buckets (system, second, used) values (${system}, ${window}, 1)
          on conflict (system, second) do update set used = rate_buckets.used + 1
          where rate_buckets.used < ${capacity}
          returning used`,
    );
    if (rows.length > 0) return;
    const nextWindowMs = (window + 1) * windowSeconds * 1000;
    await sleep(Math.max(5, nextWindowMs - Date.now()) + Math.floor(engine.random() * 10));
  }
}

export async function pruneRateBuckets(engine: Engine): Promise<void> {
  const oldest = Math.floor(Date.now() / 1000) - 3600;
  await engine.db.execute(sql`delete from rate_buckets where second < ${oldest}`);
}
