import type { Command } from "commander";
import { withBackend, type TGlobalOptions } from "./connect";
import { formatCounts } from "./progress";

export function registerStatusCommand(program: Command): void {
  program
    .command("status")
    .description("systems with their delivery queue, open conflicts, recent runs")
    .action(async (_opts: unknown, cmd: Command) => {
      await withBackend(cmd.optsWithGlobals<TGlobalOptions>(), async (b) => {
        const s = await b.status();
        console.log("Systems (deliveries waiting · retrying · dead):");
        for (const sys of s.systems) {
          const q = sys.queue;
          console.log(`  ${sys.key.padEnd(14)} ${String(q.pending + q.in_flight).padStart(6)} · ${String(q.retrying).padStart(6)} · ${String(q.dead).padStart(6)}   ${sys.name}`);
        }
        console.log(`Open conflicts: ${s.openConflicts}`);
        console.log(s.recentRuns.length ? "Recent runs:" : "No runs yet.");
        for (const r of s.recentRuns) {
          console.log(`  ${r.createdAt.toISOString().slice(0, 19).replace("T", " ")}  ${r.entity} from ${r.system} (${r.kind}, ${r.trigger})  ${r.status}  ${formatCounts(r.counts)}`);
          if (r.error) console.log(`      ${r.error}`);
        }
      });
    });
}
