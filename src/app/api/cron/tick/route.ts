import { env } from "~/env";
import { getEngine } from "~/server/engine";
import { withRoute } from "~/server/http/with-route";
import { log } from "~/server/log";
import { isCronAuthorized } from "~/server/services/schedules/cron-auth";
import { runTick } from "~/server/services/schedules/run-tick";

export const dynamic = "force-dynamic";
/** Vercel stops the function here; the tick works within CRON_BUDGET_MS (default 50 s: 10 s in hand). */
export const maxDuration = 60;

/** Called every minute by the cron in vercel.json (which sends `Authorization: Bearer $CRON_SECRET`). */
export const GET = withRoute(async (req: Request) => {
  if (!env.CRON_SECRET) log.warn("GET /api/cron/tick refused: CRON_SECRET is not set, so no caller can be trusted");
  if (!isCronAuthorized(req.headers.get("authorization"), env.CRON_SECRET)) {
    return Response.json({ error: { code: "UNAUTHORIZED", message: "Missing or wrong cron secret." } }, { status: 401, headers: { "cache-control": "no-store" } });
  }
  const summary = await runTick({ engine: await getEngine(), budgetMs: env.CRON_BUDGET_MS, historyDays: env.RUN_HISTORY_DAYS, tombstoneDays: env.TOMBSTONE_DAYS, webhookRetentionDays: env.WEBHOOK_RETENTION_DAYS, concurrency: env.WORKER_CONCURRENCY });
  return Response.json(summary, { headers: { "cache-control": "no-store" } });
});
