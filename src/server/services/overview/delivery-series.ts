import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "~/server/db";
import type { Engine } from "~/server/engine/context";

/** The last 60 minutes per minute, or the last 24 hours per hour. */
export const SERIES_RANGES = { "1h": { bucketMs: 60_000, buckets: 60 }, "24h": { bucketMs: 3_600_000, buckets: 24 } } as const;
export const ZSeriesRange = z.enum(["1h", "24h"]);
export type TSeriesRange = z.infer<typeof ZSeriesRange>;

export const ZSeriesInput = z.object({ range: ZSeriesRange.default("1h") }).prefault({});

export const ZSeriesPoint = z.object({
  /** Start of the bucket, epoch milliseconds. */
  at: z.number(),
  /** Deliveries that succeeded in it (by when they finished). */
  succeeded: z.number().int(),
  /** Attempts that failed in it (retried or dead). */
  failedAttempts: z.number().int(),
  /** Deliveries that went dead in it. */
  dead: z.number().int(),
  /** Lag (change recorded → delivered) of its succeeded deliveries; null when none. */
  lagP50Ms: z.number().nullable(),
  lagP95Ms: z.number().nullable(),
});
export type TSeriesPoint = z.infer<typeof ZSeriesPoint>;

export const ZDeliverySeries = z.object({
  range: ZSeriesRange,
  bucketMs: z.number(),
  from: z.number(),
  to: z.number(),
  points: z.array(ZSeriesPoint),
  totals: z.object({ succeeded: z.number().int(), failedAttempts: z.number().int(), dead: z.number().int() }),
});
export type TDeliverySeries = z.infer<typeof ZDeliverySeries>;

/**
 * Deliveries over time, bucketed in SQL by whole buckets since the epoch (so it reads the same on
 * Postgres and PGlite, whatever the session's time zone). The last bucket is the one `now` is in;
 * empty buckets are filled with zeros.
 */
export async function getDeliverySeries({ engine, input, now = engine.now() }: { engine: Engine; input: z.input<typeof ZSeriesInput>; now?: Date }): Promise<TDeliverySeries> {
  const { range } = ZSeriesInput.parse(input);
  const { bucketMs, buckets } = SERIES_RANGES[range];
  const to = (Math.floor(now.getTime() / bucketMs) + 1) * bucketMs;
  const from = to - buckets * bucketMs;
  const [fromIso, toIso, sec] = [new Date(from).toISOString(), new Date(to).toISOString(), bucketMs / 1000];
  const lag = sql.raw(`extract(epoch from finished_at - created_at)::float8`);
  const [done, failed] = await Promise.all([
    queryRows<{ b: number; succeeded: number; dead: number; p50: number | null; p95: number | null }>(
      engine.db,
      sql`select floor(extract(epoch from finished_at) / ${sec})::int as b,
            count(*) filter (where status = 'succeeded')::int as succeeded,
            count(*) filter (where status = 'dead')::int as dead,
            percentile_cont(0.5) within group (order by ${lag}) filter (where status = 'succeeded') as p50,
            percentile_cont(0.95) within group (order by ${lag}) filter (where status = 'succeeded') as p95
          from deliveries
          where status in ('succeeded', 'dead') and finished_at >= ${fromIso}::timestamptz and finished_at < ${toIso}::timestamptz
          group by 1`,
    ),
    queryRows<{ b: number; failed: number }>(
      engine.db,
      sql`select floor(extract(epoch from at) / ${sec})::int as b, count(*)::int as failed
          from delivery_attempts
          where outcome in ('retry', 'dead') and at >= ${fromIso}::timestamptz and at < ${toIso}::timestamptz
          group by 1`,
    ),
  ]);
  const doneBy = new Map(done.map((r) => [Number(r.b), r]));
  const failedBy = new Map(failed.map((r) => [Number(r.b), Number(r.failed)]));
  const ms = (s: number | null | undefined) => (s === null || s === undefined ? null : Math.round(Number(s) * 1000));
  const points: TSeriesPoint[] = [];
  for (let at = from; at < to; at += bucketMs) {
    const b = at / bucketMs;
    const d = doneBy.get(b);
    points.push({ at, succeeded: Number(d?.succeeded ?? 0), failedAttempts: failedBy.get(b) ?? 0, dead: Number(d?.dead ?? 0), lagP50Ms: ms(d?.p50), lagP95Ms: ms(d?.p95) });
  }
  const sum = (k: "succeeded" | "failedAttempts" | "dead") => points.reduce((n, p) => n + p[k], 0);
  return { range, bucketMs, from, to, points, totals: { succeeded: sum("succeeded"), failedAttempts: sum("failedAttempts"), dead: sum("dead") } };
}
