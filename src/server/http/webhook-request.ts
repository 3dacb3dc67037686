import { RateLimiterMemory } from "rate-limiter-flexible";
import { SyncError } from "~/sync/errors";
import type { Engine } from "~/server/engine/context";
import { receiveWebhook } from "~/server/services/webhooks/receive-webhook";
import { errorResponse } from "./with-route";

const limiters = new Map<number, RateLimiterMemory>();

/** Requests per second one system may send us before it gets 429. */
function limiterFor(perSecond: number): RateLimiterMemory {
  let l = limiters.get(perSecond);
  if (!l) limiters.set(perSecond, (l = new RateLimiterMemory({ points: perSecond, duration: 1, keyPrefix: "webhooks" })));
  return l;
}

/** Reads at most `max` bytes of a body; more is a 413 (the rest is not read). */
async function readLimited(req: Request, max: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > max) throw new SyncError("PAYLOAD_TOO_LARGE", `Body over ${max} bytes.`);
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new SyncError("PAYLOAD_TOO_LARGE", `Body over ${max} bytes.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** POST /api/webhooks/{system}: shared by the route handler and the test harness. */
export async function handleWebhookRequest(engine: Engine, system: string, req: Request, opts: { perSecond: number }): Promise<Response> {
  try {
    try {
      await limiterFor(opts.perSecond).consume(system);
    } catch {
      throw new SyncError("RATE_LIMITED", "Too many webhook requests from this system.", { retryAfterMs: 1000 });
    }
    const body = await readLimited(req, engine.webhookMaxBytes);
    const received = await receiveWebhook(engine, { system, body, headers: req.headers });
    return Response.json({ received: true, duplicate: received.duplicate }, { status: received.status });
  } catch (err) {
    return errorResponse(err);
  }
}
