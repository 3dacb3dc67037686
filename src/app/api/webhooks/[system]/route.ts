import { after } from "next/server";
import { env } from "~/env";
import { getEngine } from "~/server/engine";
import { drainSoon } from "~/server/engine/runtime";
import { handleWebhookRequest } from "~/server/http/webhook-request";
import { withRoute } from "~/server/http/with-route";
import { countWebhookResponse } from "~/server/services/metrics/webhook-responses";

export const dynamic = "force-dynamic";

/** Verify, store, answer; the work starts right after the answer (and the cron drain guarantees it). */
export const POST = withRoute(async (req: Request, { params }: { params: Promise<{ system: string }> }) => {
  const { system } = await params;
  const engine = await getEngine();
  const res = await handleWebhookRequest(engine, system, req, { perSecond: env.WEBHOOK_RATE_PER_SECOND });
  countWebhookResponse(engine.config, system, res.status);
  if (res.status === 202) after(() => drainSoon(engine));
  return res;
});
