import { Presets, SingleBar } from "cli-progress";
import type { TRunView } from "~/server/services/runs/run-view";

const COUNT_ORDER = ["fetched", "created", "updated", "deleted", "unchanged", "echoes", "conflicts", "failed", "linked"] as const;

export const formatCounts = (c: TRunView["counts"]) => COUNT_ORDER.map((k) => `${k} ${c[k]}`).join(" · ");

/**
 * A run's progress: a cli-progress bar on a terminal (the expected total is the last run's fetched
 * count, when there was one), or one plain line per change when the output is not a terminal.
 */
export function runProgress(expected: number | null) {
  const tty = !!process.stdout.isTTY;
  let bar: SingleBar | null = null;
  let lastLine = "";
  const payload = (run: TRunView) => ({ phase: run.phase ?? run.status, created: run.counts.created, updated: run.counts.updated, failed: run.counts.failed });
  return {
    update(run: TRunView) {
      if (tty) {
        if (!bar) {
          const format = expected
            ? "  {bar} {percentage}% | {phase} | fetched {value}/~{total} · created {created} · updated {updated} · failed {failed}"
            : "  {phase} | fetched {value} · created {created} · updated {updated} · failed {failed}";
          bar = new SingleBar({ format, stream: process.stdout, hideCursor: true, clearOnComplete: false }, Presets.shades_classic);
          bar.start(expected ?? 0, run.counts.fetched, payload(run));
        }
        if (expected && run.counts.fetched > bar.getTotal()) bar.setTotal(run.counts.fetched);
        bar.update(run.counts.fetched, payload(run));
        return;
      }
      const line = `  ${run.phase ?? run.status}: ${formatCounts(run.counts)}`;
      if (line !== lastLine) console.log((lastLine = line));
    },
    stop() {
      bar?.stop();
    },
  };
}
