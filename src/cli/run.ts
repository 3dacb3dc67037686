import { Option, type Command } from "commander";
import { bindingsOf, defaultConfig } from "~/sync/config";
import type { TRunView } from "~/server/services/runs/run-view";
import { RUN_KINDS, type Backend, type TCliRunKind } from "./backend";
import { withBackend, type TGlobalOptions } from "./connect";
import { formatCounts, runProgress } from "./progress";

/** One run, start to finish, with progress and a summary; returns it whatever its outcome. */
async function runOne(b: Backend, input: { entity: string; system: string; kind: TCliRunKind }): Promise<TRunView> {
  const expected = await b.lastFetched(input.entity, input.system).catch(() => null);
  const started = await b.startRun(input);
  console.log(`Run ${started.id}: ${input.entity} from ${input.system} (${input.kind})`);
  const progress = runProgress(expected);
  const t0 = Date.now();
  let done: TRunView;
  try {
    done = await b.watchRun(started.id, (run) => progress.update(run));
  } finally {
    progress.stop();
  }
  const took = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`${done.status === "succeeded" ? "Succeeded" : `Run ${done.status}`} in ${took} s: ${formatCounts(done.counts)}`);
  return done;
}

export function registerRunCommand(program: Command): void {
  program
    .command("run")
    .description("sync one entity now from one system (or from each system it lives in), with progress and a summary")
    .requiredOption("--entity <entity>", "e.g. industry")
    .option("--system <system>", "e.g. dashboard (default: every system the entity lives in, one after another)")
    .addOption(new Option("--kind <kind>", "full, incremental, dry-run or validate (check every document, write nothing)").choices(RUN_KINDS).default("full"))
    .option("--no-deliver", "direct mode: leave the queued deliveries for Concord instead of sending them now")
    .action(async (opts: { entity: string; system?: string; kind: TCliRunKind; deliver: boolean }, cmd: Command) => {
      if (!defaultConfig.entities[opts.entity]) throw new Error(`Unknown entity "${opts.entity}" (known: ${Object.keys(defaultConfig.entities).join(", ")}).`);
      const systems = opts.system ? [opts.system] : bindingsOf(defaultConfig, opts.entity).map((b) => b.system);
      await withBackend(cmd.optsWithGlobals<TGlobalOptions>(), async (b) => {
        const failed: TRunView[] = [];
        for (const system of systems) {
          const run = await runOne(b, { entity: opts.entity, system, kind: opts.kind });
          if (run.status !== "succeeded") failed.push(run);
        }
        if (b.deliverQueued && opts.deliver && opts.kind !== "dry-run" && failed.length < systems.length) {
          console.log("Sending the queued deliveries (Concord is not running them here)…");
          const d = await b.deliverQueued(60_000);
          console.log(`Worked through ${d.sent} queued items; ${d.waiting} still waiting (they go when Concord runs), ${d.dead} dead in total.`);
        }
        if (failed.length) throw new Error(failed.map((r) => `run ${r.id} (${r.entity} from ${r.system}) ${r.status}: ${r.error ?? "no reason given"}`).join("\n"));
      });
    });
}
