import { Option, type Command } from "commander";
import type { TRunView } from "~/server/services/runs/run-view";
import { withBackend, type TGlobalOptions } from "./connect";
import { formatCounts, runProgress } from "./progress";

interface TFleetOptions {
  vessel?: string;
  since?: string;
  until?: string;
  kind: "full" | "dry-run" | "validate";
  deliver: boolean;
}

export function registerFleetCommand(program: Command): void {
  program
    .command("fleet")
    .description("sync the Onboarding Portal to the Maintenance Portal: the whole fleet, one vessel, or what changed in a date range")
    .option("--vessel <vessel>", "one vessel (its Onboarding Portal id, IMO number or record id) with its company, equipment and users")
    .option("--since <date>", "only what changed from this date (ISO 8601)")
    .option("--until <date>", "only what changed until this date (ISO 8601)")
    .addOption(new Option("--kind <kind>", "full, dry-run or validate (whole fleet only)").choices(["full", "dry-run", "validate"]).default("full"))
    .option("--no-deliver", "direct mode: leave the queued deliveries for Concord instead of sending them now")
    .action(async (opts: TFleetOptions, cmd: Command) => {
      const scope = opts.vessel ? "vessel" : opts.since || opts.until ? "range" : "fleet";
      await withBackend(cmd.optsWithGlobals<TGlobalOptions>(), async (b) => {
        const { groupId, runs } = await b.syncFleet({ scope, kind: opts.kind, vessel: opts.vessel, since: opts.since, until: opts.until });
        console.log(`Fleet sync ${groupId}: ${runs.map((r) => r.entity).join(" → ")} from the Onboarding Portal`);
        const failed: TRunView[] = [];
        for (const run of runs) {
          const progress = runProgress(null);
          let done: TRunView;
          try {
            done = await b.watchRun(run.id, (r) => progress.update(r));
          } finally {
            progress.stop();
          }
          console.log(`  ${run.entity}: ${done.status}, ${formatCounts(done.counts)}`);
          if (done.status !== "succeeded" || (opts.kind === "validate" && done.counts.failed > 0)) failed.push(done);
        }
        if (b.deliverQueued && opts.deliver && opts.kind === "full") {
          console.log("Sending the queued deliveries (Concord is not running them here)…");
          const d = await b.deliverQueued(120_000);
          console.log(`Worked through ${d.sent} queued items; ${d.waiting} still waiting, ${d.dead} dead in total.`);
        }
        if (failed.length) {
          throw new Error(failed.map((r) => `run ${r.id} (${r.entity}) ${r.status}${r.counts.failed ? `, ${r.counts.failed} invalid or failed` : ""}: see it on the Runs page`).join("\n"));
        }
      });
    });
}
