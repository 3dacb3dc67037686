import type { Command } from "commander";
import { withBackend, type TGlobalOptions } from "./connect";

export function registerReplayCommand(program: Command): void {
  program
    .command("replay")
    .description("replay dead-lettered deliveries: each is tried again with the record's current state")
    .requiredOption("--dead", "replay the dead deliveries (required: says what is replayed)")
    .option("--system <system>", "only those for this system")
    .option("--no-deliver", "direct mode: leave them queued for Concord instead of sending them now")
    .action(async (opts: { dead: boolean; system?: string; deliver: boolean }, cmd: Command) => {
      await withBackend(cmd.optsWithGlobals<TGlobalOptions>(), async (b) => {
        const filter = { system: opts.system };
        const dead = await b.countDead(filter);
        const scope = opts.system ? ` for ${opts.system}` : "";
        if (dead === 0) return console.log(`No dead deliveries${scope}.`);
        const r = await b.replayDead(filter, dead);
        console.log(`Replayed ${r.replayed} dead deliver${r.replayed === 1 ? "y" : "ies"}${scope}${r.superseded ? ` (${r.superseded} folded into a delivery already waiting)` : ""}.`);
        if (b.deliverQueued && opts.deliver) {
          const d = await b.deliverQueued(60_000);
          console.log(`Worked through ${d.sent} queued items; ${d.waiting} still waiting, ${d.dead} dead.`);
        }
      });
    });
}
