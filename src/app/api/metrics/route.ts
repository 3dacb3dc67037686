import { env } from "~/env";
import { getEngine } from "~/server/engine";
import { withRoute } from "~/server/http/with-route";
import { metricsResponse } from "~/server/services/metrics/metrics-response";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Prometheus scrape target, behind `Authorization: Bearer $METRICS_TOKEN` (404 while the token is unset). */
export const GET = withRoute((req: Request) => metricsResponse({ authorization: req.headers.get("authorization"), token: env.METRICS_TOKEN, engine: getEngine }));
