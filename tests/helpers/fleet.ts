import { inArray } from "drizzle-orm";
import { runs, type TRunRow } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { cliActor } from "~/server/services/actor";
import { syncFleet } from "~/server/services/fleet/sync-fleet";

const TERMINAL = ["succeeded", "failed", "cancelled", "awaiting-approval"];

/** Starts a fleet sync (its runs execute one after another in the background) and waits until every run has ended. */
export async function runFleetSync(engine: Engine, input: Parameters<typeof syncFleet>[0]["input"], timeoutMs = 180_000): Promise<TRunRow[]> {
  const { runs: started } = await syncFleet({ engine, actor: cliActor("fleet-admin"), input });
  const ids = started.map((r) => r.id);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await engine.db.select().from(runs).where(inArray(runs.id, ids));
    if (rows.every((r) => TERMINAL.includes(r.status))) return ids.map((id) => rows.find((r) => r.id === id)!);
    if (Date.now() > deadline) throw new Error(`fleet sync runs did not end within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
