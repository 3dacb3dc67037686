// Propagation latency scenario: one child process (sample systems, intake, engine and worker in-process).
import { progress, QUICK, runChild } from "../lib/common";
import { createBenchDb } from "../lib/database";
import type { Row } from "../lib/table";

interface Latencies {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  missed: number;
  samples: number;
}

export async function propagationScenario(): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  progress("propagation latency: single Dashboard edits → CMS, idle system");
  const db = await createBenchDb("prop");
  try {
    const r = await runChild<{ concord: Latencies; fair: Latencies; baseline: Latencies }>(
      "scripts/bench/propagation.ts",
      { BENCH_DB_URL: db.url, BENCH_EDITS: process.env.BENCH_EDITS ?? (QUICK ? "40" : "200") },
      240_000,
    );
    const { concord: c, fair: f, baseline: b } = r;
    const missed = c.missed ? ` [${c.missed} edits not seen within 5 s]` : "";
    return {
      rows: [
        { scenario: `propagation p50 ms (${c.samples} edits)${missed}, vs a durable receiver (stores the event and notes the send, flushed)`, concord: c.p50, baseline: f.p50, target: "≤ 3× fair", met: c.p50 <= 3 * f.p50 && c.missed === 0 },
        { scenario: "propagation p50 ms, vs a bare receiver that stores nothing (the old figure, the absolute limit)", concord: c.p50, baseline: b.p50, target: "—", met: null },
        { scenario: "propagation p95 ms, vs the durable receiver", concord: c.p95, baseline: f.p95, target: "—", met: null },
        { scenario: "propagation p99 ms, vs the durable receiver", concord: c.p99, baseline: f.p99, target: "≤ 40", met: c.p99 <= 40 && c.missed === 0 },
      ],
      details: r,
    };
  } finally {
    await db.drop();
  }
}
