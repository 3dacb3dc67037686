// `npm run bench`: Concord's throughput and latency beside bare baselines, on Postgres.
// Progress on stderr; the table on stdout. See docs/benchmarks.md.
import { writeFileSync } from "node:fs";
import { listEnv, progress, QUICK } from "./lib/common";
import { renderTable, type Row } from "./lib/table";
import { fullSyncScenario } from "./scenarios/full-sync";

const only = new Set((process.env.BENCH_ONLY ?? "sync,propagation,deliveries,ingest").split(",").map((s) => s.trim()));
const sizes = listEnv("BENCH_SIZES", QUICK ? [1000, 5000] : [10_000, 100_000]);

async function main(): Promise<void> {
  const started = Date.now();
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  const section = async (key: string, fn: () => Promise<{ rows: Row[]; details: Record<string, unknown> }>) => {
    if (!only.has(key)) return;
    try {
      const r = await fn();
      rows.push(...r.rows);
      details[key] = r.details;
    } catch (err) {
      progress(`${key} failed: ${err instanceof Error ? err.stack : String(err)}`);
      rows.push({ scenario: `${key}: FAILED (${err instanceof Error ? err.message : String(err)})`.slice(0, 120), concord: null, baseline: null, target: "—", met: false });
    }
  };
  await section("sync", () => fullSyncScenario(sizes));
  if (process.env.BENCH_DETAILS_FILE) writeFileSync(process.env.BENCH_DETAILS_FILE, JSON.stringify(details, null, 2));
  progress(`done in ${Math.round((Date.now() - started) / 1000)} s`);
  process.stdout.write(`${renderTable(rows)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    progress(`failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
