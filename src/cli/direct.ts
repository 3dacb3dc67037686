import { and, count, desc, eq, inArray } from "drizzle-orm";
import { env } from "~/env";
import { deliveries, runs } from "~/server/db/schema";
import type { DbHandle } from "~/server/db/client";
import { silentLogger } from "~/server/engine/context";
import { createEngine } from "~/server/engine/create-engine";
import { Worker } from "~/server/engine/worker";
import { cliActor } from "~/server/services/actor";
import { createApiKey } from "~/server/services/api-keys/create-api-key";
import { listApiKeys } from "~/server/services/api-keys/list-api-keys";
import { revokeApiKey } from "~/server/services/api-keys/revoke-api-key";
import { listConflicts } from "~/server/services/conflicts/list-conflicts";
import { ensureSystemRows } from "~/server/services/connections/get-connection";
import { replayDeliveries } from "~/server/services/deliveries/replay-deliveries";
import { listRuns } from "~/server/services/runs/list-runs";
import { triggerRun, type ZTriggerRunInput } from "~/server/services/runs/trigger-run";
import { syncFleet } from "~/server/services/fleet/sync-fleet";
import { ZRunView, type TRunView } from "~/server/services/runs/run-view";
import { deliveryCountsBySystem } from "~/server/services/systems/get-system-row";
import type { z } from "zod";
import { sleep, TERMINAL_RUN_STATUSES, type Backend } from "./backend";

/** On the database itself, through the same services the server uses, acting as the CLI. */
export async function directBackend(handle: DbHandle, where: string): Promise<Backend> {
  const engine = createEngine({ db: handle.db, driver: handle.driver, encryptionKey: env.CONCORD_ENCRYPTION_KEY, overrides: env.systemOverrides, allowedHosts: env.allowedHosts, log: silentLogger });
  await ensureSystemRows(engine);
  const actor = cliActor();
  const db = engine.db;
  const readRun = async (id: string) => ZRunView.parse((await db.select().from(runs).where(eq(runs.id, id)))[0]);

  return {
    mode: where,
    remote: false,
    createApiKey: (input) => createApiKey({ db, actor, input }),
    listApiKeys: () => listApiKeys({ db }),
    revokeApiKey: (id) => revokeApiKey({ db, actor, input: { id }, now: engine.now() }),
    lastFetched: async (entity, system) => (await listRuns({ db, input: { entity, system, status: "succeeded", pageSize: 1 } })).items[0]?.counts.fetched ?? null,
    startRun: (input) => triggerRun({ engine, actor, input: input as z.input<typeof ZTriggerRunInput>, trigger: "cli" }),
    syncFleet: (input) => syncFleet({ engine, actor, input, trigger: "cli" }),
    watchRun: async (id, onProgress) => {
      // The run executes in this process: its events arrive on the bus; the row is re-read as a safety net.
      let last: TRunView = await readRun(id);
      const off = engine.bus.on((e) => {
        if (e.type === "run" && e.id === id) onProgress((last = { ...last, status: e.status, phase: e.phase, counts: { ...last.counts, ...e.counts } }));
      });
      try {
        while (!TERMINAL_RUN_STATUSES.includes(last.status)) {
          await sleep(250);
          last = await readRun(id);
        }
        onProgress(last);
        return last;
      } finally {
        off();
      }
    },
    status: async () => {
      const defs = Object.values(engine.config.systems);
      const counts = await deliveryCountsBySystem(db, defs.map((d) => d.key));
      const [conflicts, recent] = await Promise.all([listConflicts({ db, input: { status: "open", pageSize: 1 } }), listRuns({ db, input: { pageSize: 5 } })]);
      const systems = defs.map((d) => {
        const c = counts.get(d.key)!;
        return { key: d.key, name: d.name, queue: { pending: c.pending, in_flight: c.in_flight, retrying: c.retrying, dead: c.dead } };
      });
      return { systems, openConflicts: conflicts.total, recentRuns: recent.items };
    },
    countDead: async (filter) => {
      const where = and(eq(deliveries.status, "dead"), filter.system ? eq(deliveries.system, filter.system) : undefined);
      return Number((await db.select({ n: count() }).from(deliveries).where(where))[0]?.n ?? 0);
    },
    replayDead: (filter, expectedCount) => replayDeliveries({ engine, actor, input: { filter: { status: "dead", system: filter.system }, expectedCount } }),
    deliverQueued: async (budgetMs) => {
      const sent = await new Worker(engine, { concurrency: 8 }).drain({ budgetMs });
      const rows = await db.select({ status: deliveries.status, n: count() }).from(deliveries).where(inArray(deliveries.status, ["pending", "retrying", "dead"])).groupBy(deliveries.status).orderBy(desc(deliveries.status));
      const n = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
      return { sent, waiting: n("pending") + n("retrying"), dead: n("dead") };
    },
    close: () => handle.close(),
  };
}
