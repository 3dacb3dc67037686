import { env } from "~/env";
import { getDb } from "~/server/db";
import { getEngine } from "~/server/engine";
import { catchUpAtStart, ensureBridge, runsWorkHere, startInProcessTick, startInProcessWorker, startRunKeeper } from "~/server/engine/runtime";
import { log } from "~/server/log";
import { ensureFirstAdmin } from "~/server/services/ensure-first-admin";

/**
 * What a Concord server process does once when it starts: refuse missing production secrets,
 * open and migrate the database, create the first admin from ADMIN_EMAIL / ADMIN_PASSWORD, and catch up
 * on what senders dropped while Concord was down (catchUpAtStart).
 */
export async function startServer(): Promise<void> {
  env.assertReadyToServe();
  const { db, driver, pooled } = await getDb();
  const admin = await ensureFirstAdmin({ db, email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD });
  if (admin === "created") log.info({ email: env.ADMIN_EMAIL }, "created the first admin from ADMIN_EMAIL");
  if (admin === "skipped") log.warn("no admin exists yet: set ADMIN_EMAIL and ADMIN_PASSWORD, or run `npm run concord -- admin create`");
  log.info({ driver, ...(pooled ? { pooled, direct: !!env.DATABASE_URL_UNPOOLED } : {}) }, "database ready");
  const engine = await getEngine();
  await ensureBridge(engine);
  if (env.CONCORD_SERVERLESS) log.info({ budgetMs: env.CRON_BUDGET_MS }, "serverless mode: no worker, tick or run keeper here; background work through after() and GET /api/cron/tick");
  startInProcessWorker(engine);
  startInProcessTick(engine);
  if (runsWorkHere()) startRunKeeper(engine);
  await catchUpAtStart(engine, { runCatchUp: runsWorkHere() });
}

/** For `next start`: a server that cannot start (bad env, no database) stops with one clear line. */
export async function startServerOrExit(): Promise<void> {
  try {
    await startServer();
  } catch (err) {
    console.error(`[concord] cannot start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
