import { env } from "~/env";
import { getDb } from "~/server/db";
import { withRoute } from "~/server/http/with-route";
import { checkHealth } from "~/server/services/check-health";

export const dynamic = "force-dynamic";

export const GET = withRoute(async () => {
  const health = await checkHealth(getDb, env.DATABASE_URL ? "postgres" : "pglite");
  return Response.json(health, { status: health.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
});
