// Fleet full sync scenario: a fresh database and fresh sample systems (in their own process), the
// Onboarding Portal seeded with a synthetic fleet (`POST /onboarding/_seed {generate: vessels}`: every
// record approved and valid), then the fleet sync in a child process (fleet-sync.ts).
import type { FleetSyncResult } from "../fleet-sync";
import { intEnv, progress, QUICK, runChild } from "../lib/common";
import { createBenchDb } from "../lib/database";
import { startSamplesProcess } from "../lib/samples-process";
import type { Row } from "../lib/table";

export async function fleetSyncScenario(): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  const vessels = intEnv("BENCH_FLEET_VESSELS", QUICK ? 10 : 50);
  const limitMs = intEnv("BENCH_FLEET_TIMEOUT_S", QUICK ? 90 : 180) * 1000;
  progress(`fleet full sync: ${vessels} vessels Onboarding Portal → Maintenance Portal`);
  const db = await createBenchDb(`fleet${vessels}`);
  const samples = await startSamplesProcess();
  let result: FleetSyncResult | null = null;
  let seeded: Record<string, number> = {};
  try {
    const total = await samples.seed("onboarding", vessels);
    seeded = (await samples.stats("onboarding")).collections;
    progress(`  seeded ${total} onboarding records ${JSON.stringify(seeded)}`);
    const env = { BENCH_TOTAL: String(total), BENCH_TIMEOUT_MS: String(limitMs), BENCH_SAMPLES_URL: samples.url, BENCH_SAMPLES_KEY: samples.apiKey, BENCH_DB_URL: db.url };
    try {
      result = await runChild<FleetSyncResult>("scripts/bench/fleet-sync.ts", env, limitMs + 120_000);
      progress(`  Concord: ${result.recordsPerSecond} records/s (${result.count}/${total} in ${result.seconds} s), peak RSS ${result.peakRssMb} MB`);
    } catch (err) {
      progress(`  fleet sync failed: ${(err as Error).message}`);
    }
  } finally {
    await samples.stop();
    await db.drop();
  }
  const size = `${vessels} vessels, ${Object.values(seeded).reduce((a, b) => a + b, 0)} records`;
  const rounds = new Set(result?.runs.map((r) => r.round)).size;
  const note = !result ? "" : !result.complete ? ` [INCOMPLETE: ${result.count}/${result.total} after ${result.seconds} s]` : rounds > 1 ? ` [${rounds} rounds of runs]` : "";
  const rows: Row[] = [
    { scenario: `fleet full sync (${size}): records/s (until Maintenance Portal holds all)${note}`, concord: result?.recordsPerSecond ?? null, baseline: null, target: "—", met: null },
    { scenario: `fleet full sync (${size}): peak RSS MB`, concord: result?.peakRssMb ?? null, baseline: null, target: "< 400", met: result ? result.peakRssMb < 400 : null },
  ];
  return { rows, details: { vessels, seeded, result } };
}
