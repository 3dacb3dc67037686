// Deliveries/s scenario: one child process that sets up, clones a database per worker count and spawns
// the worker processes.
import { progress, QUICK, runChild } from "../lib/common";
import type { Row } from "../lib/table";

interface Phase {
  workers: number;
  deliveries: number;
  seconds: number;
  perSecond: number;
  complete: boolean;
  xactsPerDelivery: number;
  httpMsMean: number;
  httpRequests: number;
  workerCpuShare: number;
}

export async function deliveriesScenario(): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  progress("deliveries/s with 1, 2 and 4 worker processes");
  const r = await runChild<{ records: number; phases: Phase[]; baseline: { perSecond: number; writes: number } }>(
    "scripts/bench/deliveries.ts",
    { BENCH_DELIVERY_RECORDS: process.env.BENCH_DELIVERY_RECORDS ?? (QUICK ? "500" : "1700") },
    600_000,
  );
  const rows: Row[] = r.phases.map((p) => ({
    scenario: `deliveries/s, ${p.workers} worker${p.workers > 1 ? "s" : ""} × 16 (${p.deliveries} deliveries)${p.complete ? "" : " [TIMED OUT]"}`,
    concord: p.perSecond,
    baseline: r.baseline.perSecond,
    target: p.workers === 4 ? "≥ 2000" : "—",
    met: p.workers === 4 ? p.complete && p.perSecond >= 2000 : null,
  }));
  return { rows, details: r };
}
