// `npm run bench`: Concord's throughput and latency beside bare baselines, on Postgres.
// Progress on stderr; the table on stdout. See docs/benchmarks.md.
import { writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import postgres from "postgres";
import { DATABASE_URL, listEnv, progress, QUICK } from "./lib/common";
import { renderTable, type Row } from "./lib/table";
import { deliveriesScenario } from "./scenarios/deliveries";
import { fleetSyncScenario } from "./scenarios/fleet-sync";
import { fullSyncScenario } from "./scenarios/full-sync";
import { incrementalScenario } from "./scenarios/incremental";
import { ingestScenario } from "./scenarios/ingest";
import { propagationScenario } from "./scenarios/propagation";

const only = new Set((process.env.BENCH_ONLY ?? "sync,incremental,propagation,deliveries,ingest,fleet").split(",").map((s) => s.trim()));
const sizes = listEnv("BENCH_SIZES", QUICK ? [1000, 5000] : [10_000, 100_000]);

async function machine(): Promise<string> {
  let pg = "?";
  const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    pg = (await sql<{ v: string }[]>`select current_setting('server_version') as v`)[0]!.v;
  } finally {
    await sql.end();
  }
  const load = loadavg().map((l) => l.toFixed(2)).join(" ");
  return `${new Date().toISOString().slice(0, 10)} · ${cpus().length} cores · ${Math.round(totalmem() / 2 ** 30)} GB · Node ${process.version} · PostgreSQL ${pg} · load average ${load}`;
}

async function main(): Promise<void> {
  const started = Date.now();
  const before = await machine();
  progress(`${before}${QUICK ? " · BENCH_QUICK" : ""}; sizes ${sizes.join(", ")}; scenarios ${[...only].join(", ")}`);
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
  await section("incremental", () => incrementalScenario(sizes[0] ?? 10_000));
  await section("propagation", () => propagationScenario());
  await section("deliveries", () => deliveriesScenario());
  await section("ingest", () => ingestScenario());
  await section("fleet", () => fleetSyncScenario());
  if (process.env.BENCH_DETAILS_FILE) writeFileSync(process.env.BENCH_DETAILS_FILE, JSON.stringify(details, null, 2));
  progress(`done in ${Math.round((Date.now() - started) / 1000)} s`);
  const after = loadavg().map((l) => l.toFixed(2)).join(" ");
  process.stdout.write(`Concord benchmark · ${before} (at the end: ${after})${QUICK ? " · BENCH_QUICK" : ""}\n\n${renderTable(rows)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    progress(`failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
