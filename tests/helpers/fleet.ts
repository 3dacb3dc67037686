import { inArray } from "drizzle-orm";
import { runs, type TRunRow } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { cliActor } from "~/server/services/actor";
import { syncFleet } from "~/server/services/fleet/sync-fleet";
import { until } from "./poll";

const TERMINAL = ["succeeded", "failed", "cancelled", "awaiting-approval"];

/** Starts a fleet sync (its runs execute one after another in the background) and waits until every run has ended. */
export async function runFleetSync(engine: Engine, input: Parameters<typeof syncFleet>[0]["input"], timeoutMs = 180_000): Promise<TRunRow[]> {
  const { runs: started } = await syncFleet({ engine, actor: cliActor("fleet-admin"), input });
  const ids = started.map((r) => r.id);
  const ended = async () => {
    const rows = await engine.db.select().from(runs).where(inArray(runs.id, ids));
    return rows.every((r) => TERMINAL.includes(r.status)) ? ids.map((id) => rows.find((r) => r.id === id)!) : null;
  };
  return until("the fleet sync's runs to end", ended, timeoutMs, 100);
}
