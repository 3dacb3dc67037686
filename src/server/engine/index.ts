import { env } from "~/env";
import { getDb } from "~/server/db";
import { afterResponse } from "~/server/http/after-response";
import { log } from "~/server/log";
import { ensureSystemRows } from "~/server/services/connections/get-connection";
import type { Engine } from "./context";
import { createEngine } from "./create-engine";

export type { Engine } from "./context";

const globalForEngine = globalThis as unknown as { __concordEngine?: Promise<Engine> };

/** The process-wide engine over the process-wide database (cached on globalThis, never a rejected promise). */
export function getEngine(): Promise<Engine> {
  if (!globalForEngine.__concordEngine) {
    const making = (async () => {
      const { db, driver } = await getDb();
      const engine = createEngine({
        db,
        driver,
        encryptionKey: env.CONCORD_ENCRYPTION_KEY,
        overrides: env.systemOverrides,
        log,
        webhookMaxBytes: env.WEBHOOK_MAX_BYTES,
        allowedHosts: env.allowedHosts,
        runLeaseMs: env.RUN_LEASE_MS,
        ...(env.CONCORD_SERVERLESS ? { background: afterResponse(log, env.CRON_BUDGET_MS) } : {}),
      });
      await ensureSystemRows(engine);
      return engine;
    })();
    globalForEngine.__concordEngine = making;
    making.catch(() => {
      if (globalForEngine.__concordEngine === making) globalForEngine.__concordEngine = undefined;
    });
  }
  return globalForEngine.__concordEngine;
}
