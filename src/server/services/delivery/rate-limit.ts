import { sql } from "drizzle-orm";
import { queryRows } from "~/server/db";
import type { Engine } from "~/server/engine/context";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Pace at 80 % of the limit, so scheduling delays and network jitter never push a second at the receiver over it. */
const MARGIN = 1.25;

/**
 * Reserves the next send slot for a system and waits for it. Slots are one every 1/limit seconds,
 * reserved atomically in the database (a GCRA-style "next allowed time"), so every worker process
 * together stays under the limit in any second, with no bursts at second boundaries.
 */
export async function acquireRequestSlot(engine: Engine, system: string, perSecond: number): Promise<void> {
  const intervalUs = Math.ceil((1_000_000 / Math.max(perSecond, 0.001)) * MARGIN);
  const [row] = await queryRows<{ wait_ms: number | string }>(
    engine.db,
    sql`insert into rate_pacing (system, next_at) values (${system}, clock_timestamp() + (${intervalUs} * interval '1 microsecond'))
        on conflict (system) do update
          set next_at = greatest(rate_pacing.next_at, clock_timestamp()) + (${intervalUs} * interval '1 microsecond')
        returning greatest(0, extract(epoch from (next_at - (${intervalUs} * interval '1 microsecond') - clock_timestamp())) * 1000) as wait_ms`,
  );
  const wait = Number(row?.wait_ms ?? 0);
  if (wait > 1) await sleep(wait + engine.random());
}
