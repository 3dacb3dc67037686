import { env } from "~/env";
import { closeDb } from "~/server/db";
import { getEngine } from "~/server/engine";
import { catchUpAtStart, ensureBridge, startRunKeeper, stopInProcessWorker } from "~/server/engine/runtime";
import { Worker } from "~/server/engine/worker";
import { log } from "~/server/log";
import { stopEventLog } from "~/server/services/events/event-log";
import type { TCatchUpResult } from "~/server/services/schedules/start-catch-up";

/**
 * `npm run worker`: a standalone delivery worker. Run as many as you like on one Postgres. At start it
 * catches up on what senders dropped while Concord was down (once across processes starting together),
 * and it continues any run whose process died, from its last committed page (startRunKeeper).
 */
async function main(): Promise<void> {
  env.assertReadyToWork();
  const engine = await getEngine();
  await ensureBridge(engine);
  const worker = new Worker(engine, { concurrency: env.WORKER_CONCURRENCY, leaseMs: env.WORKER_LEASE_MS });
  worker.start();
  startRunKeeper(engine); // runs whose process died go on here, from their last committed page
  log.info({ workerId: engine.workerId, driver: engine.driver }, "worker running");
  let catchUp: TCatchUpResult | null = null;
  const stop = async () => {
    log.info("worker stopping: finishing deliveries in flight");
    await catchUp?.stop(); // a catch-up run still reading is cancelled, not left holding its pair
    await stopInProcessWorker(); // the run keeper takes up no more runs
    await worker.stop();
    await stopEventLog(engine); // the last events raised before shutdown
    await closeDb();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  catchUp = await catchUpAtStart(engine, { runCatchUp: true });
}

main().catch((err: unknown) => {
  console.error(`worker: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
