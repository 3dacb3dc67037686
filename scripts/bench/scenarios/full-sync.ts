// Full sync scenario: per size, a fresh database and fresh sample systems (in their own process), then
// Concord's full sync in one child process and the bare copy in another.
import type { FullSyncResult } from "../full-sync";
import { intEnv, progress, QUICK, round, runChild } from "../lib/common";
import { createBenchDb } from "../lib/database";
import { startSamplesProcess } from "../lib/samples-process";
import type { Row } from "../lib/table";

export async function fullSyncScenario(sizes: number[]): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  const results: { n: number; concord: FullSyncResult | null; bare: FullSyncResult | null; fair: FullSyncResult | null; dry: FullSyncResult | null }[] = [];
  for (const n of sizes) {
    progress(`full sync: ${n} industries Dashboard → CMS`);
    const db = await createBenchDb(`sync${n}`);
    const samples = await startSamplesProcess();
    let concord: FullSyncResult | null = null;
    let bare: FullSyncResult | null = null;
    let fair: FullSyncResult | null = null;
    let dry: FullSyncResult | null = null;
    try {
      await samples.seed("dashboard", n);
      const env = { BENCH_TIMEOUT_MS: String(intEnv("BENCH_SYNC_TIMEOUT_S", QUICK ? 60 : 120) * 1000), BENCH_N: String(n), BENCH_SAMPLES_URL: samples.url, BENCH_SAMPLES_KEY: samples.apiKey, BENCH_DB_URL: db.url };
      const limitMs = intEnv("BENCH_SYNC_TIMEOUT_S", QUICK ? 60 : 120) * 1000;
      const timeout = limitMs + 120_000;
      try {
        dry = await runChild<FullSyncResult>("scripts/bench/full-sync.ts", { ...env, BENCH_MODE: "dry-run" }, timeout);
        const heap = dry.heapAfterGcMb ? `; heap after GC ${dry.heapAfterGcMb.before} → ${dry.heapAfterGcMb.after} MB` : "";
        progress(`  Concord dry run (read + plan only): ${dry.recordsPerSecond} docs/s, peak RSS ${dry.peakRssMb} MB${heap}`);
      } catch (err) {
        progress(`  Concord dry run failed: ${(err as Error).message}`);
      }
      try {
        concord = await runChild<FullSyncResult>("scripts/bench/full-sync.ts", { ...env, BENCH_MODE: "concord" }, timeout);
        progress(`  Concord: ${concord.recordsPerSecond} records/s (${concord.cmsCount}/${n} in ${concord.seconds} s), ingest ${concord.ingestPerSecond ?? "?"} records/s, peak RSS ${concord.peakRssMb} MB`);
      } catch (err) {
        progress(`  Concord full sync failed: ${(err as Error).message}`);
      }
      await samples.reset();
      await samples.seed("dashboard", n);
      try {
        bare = await runChild<FullSyncResult>("scripts/bench/full-sync.ts", { ...env, BENCH_MODE: "bare" }, timeout);
        progress(`  bare copy: ${bare.recordsPerSecond} records/s, peak RSS ${bare.peakRssMb} MB`);
      } catch (err) {
        progress(`  bare copy failed: ${(err as Error).message}`);
      }
      await samples.reset();
      await samples.seed("dashboard", n);
      try {
        fair = await runChild<FullSyncResult>("scripts/bench/full-sync.ts", { ...env, BENCH_MODE: "bare-fair" }, timeout);
        progress(`  fair bare copy (create + cms_id write-back): ${fair.recordsPerSecond} records/s${fair.complete ? "" : " [INCOMPLETE]"}, peak RSS ${fair.peakRssMb} MB`);
      } catch (err) {
        progress(`  fair bare copy failed: ${(err as Error).message}`);
      }
      const dashboard = await samples.stats("dashboard");
      const cms = await samples.stats("cms");
      details[`sample-systems-${n}`] = { dashboardMaxRequestsPerSecond: dashboard.maxRequestsPerSecond, cmsMaxRequestsPerSecond: cms.maxRequestsPerSecond };
    } finally {
      await samples.stop();
      await db.drop();
    }
    results.push({ n, concord, bare, fair, dry });
    details[`dry-run-${n}`] = dry;
    details[`concord-${n}`] = concord;
    details[`bare-${n}`] = bare;
    details[`bare-fair-${n}`] = fair;
  }

  for (const { n, concord, bare, fair, dry } of results) {
    const label = n >= 1000 ? `${round(n / 1000, 1)} k` : String(n);
    const runCount = concord?.runs?.length ?? 0;
    const note = !concord
      ? ""
      : !concord.complete
        ? ` [INCOMPLETE: CMS held ${concord.cmsCount}/${n} after ${concord.seconds} s, ${runCount} run(s)${runCount > 1 ? `; run 1 listing skipped ${Number(concord.runs?.[0]?.fetched ?? 0) - (concord.firstRunCreated ?? 0)}` : ""}]`
        : runCount > 1
          ? ` [${runCount} runs: run 1 listing skipped ${n - (concord.firstRunCreated ?? 0)}]`
          : "";
    // The target: the same writes as a fair bare copy (create + cms_id write-back), at ≥ 0.5× its rate.
    const withWriteBack = concord?.drainedSeconds ? round(n / concord.drainedSeconds) : null;
    rows.push({
      scenario: `full sync ${label}: records/s incl. cms_id write-back, vs fair bare copy (create + write-back)${note}`,
      concord: withWriteBack,
      baseline: fair?.recordsPerSecond ?? null,
      target: fair && !fair.complete ? "≥ 0.5× (bare timed out)" : "≥ 0.5× fair bare",
      met: concord && fair ? concord.complete && withWriteBack !== null && withWriteBack >= 0.5 * fair.recordsPerSecond : null,
    });
    rows.push({
      scenario: `full sync ${label}: records/s until CMS holds n, vs create-only bare copy (the old figure)`,
      concord: concord?.recordsPerSecond ?? null,
      baseline: bare?.recordsPerSecond ?? null,
      target: "—",
      met: null,
    });
    rows.push({
      scenario: `full sync ${label}: ingest-only docs/s (run 1 executeRun)`,
      concord: concord?.ingestPerSecond ?? null,
      baseline: null,
      target: "—",
      met: null,
    });
    rows.push({
      scenario: `full sync ${label}: dry run (read + plan, no writes) docs/s${dry && !dry.complete ? " [INCOMPLETE]" : ""}`,
      concord: dry?.recordsPerSecond ?? null,
      baseline: null,
      target: "—",
      met: null,
    });
    rows.push({
      scenario: `full sync ${label}: peak RSS MB`,
      concord: concord?.peakRssMb ?? null,
      baseline: bare?.peakRssMb ?? null,
      target: "< 400",
      met: concord ? concord.peakRssMb < 400 : null,
    });
    rows.push({ scenario: `full sync ${label}: dry run peak RSS MB`, concord: dry?.peakRssMb ?? null, baseline: null, target: "< 400", met: dry ? dry.peakRssMb < 400 : null });
  }
  for (const key of ["concord", "dry"] as const) {
    const measured = results.filter((r) => r[key]);
    if (measured.length < 2) continue;
    const first = measured[0]![key]!;
    const last = measured.at(-1)![key]!;
    const change = (last.peakRssMb - first.peakRssMb) / first.peakRssMb;
    const partial = !first.complete || !last.complete ? ` [partial runs: ${first.cmsCount || first.n} vs ${last.cmsCount || last.n} records done]` : "";
    rows.push({
      scenario: `full sync${key === "dry" ? " dry run" : ""}: peak RSS change ${measured[0]!.n} → ${measured.at(-1)!.n} (%)${partial}`,
      concord: round(change * 100, 1),
      baseline: null,
      target: "within ±20 %",
      met: Math.abs(change) <= 0.2,
    });
  }
  return { rows, details };
}
