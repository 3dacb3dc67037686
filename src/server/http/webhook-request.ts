import { RateLimiterMemory } from "rate-limiter-flexible";
import { isSyncError, SyncError } from "~/sync/errors";
import type { Engine } from "~/server/engine/context";
import { clientAddress } from "~/server/services/sign-in-throttle";
import { receiveWebhook } from "~/server/services/webhooks/receive-webhook";
import { errorResponse } from "./with-route";

const limiters = new Map<number, RateLimiterMemory>();

/** Verified requests per second one system may send us before it gets 429. */
function limiterFor(perSecond: number): RateLimiterMemory {
  let l = limiters.get(perSecond);
  if (!l) limiters.set(perSecond, (l = new RateLimiterMemory({ points: perSecond, duration: 1, keyPrefix: "webhooks" })));
  return l;
}

/**
 * Requests that fail verification (bad signature, unknown system), per client address: past this many a
 * minute the address gets 429 before its body is read. A sender's own budget counts verified requests only,
 * so a flood of unsigned requests never makes the real sender wait.
 */
export const WEBHOOK_FAILURES_PER_MINUTE = 60;
const failures = new RateLimiterMemory({ points: WEBHOOK_FAILURES_PER_MINUTE, duration: 60, keyPrefix: "webhook-failures" });

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
  // Next.js always names the address (X-Forwarded-For); a caller that names none (in-process tests) is not limited.
  const address = clientAddress(req.headers);
  try {
    const failed = address ? await failures.get(address) : null;
    if (failed && failed.consumedPoints >= WEBHOOK_FAILURES_PER_MINUTE) {
      throw new SyncError("RATE_LIMITED", "Too many failed webhook requests from this address.", { retryAfterMs: failed.msBeforeNext });
    }
    const body = await readLimited(req, engine.webhookMaxBytes);
    let admitted = false;
    const admit = async () => {
      if (admitted) return;
      try {
        await limiterFor(opts.perSecond).consume(system);
        admitted = true;
      } catch {
        throw new SyncError("RATE_LIMITED", "Too many webhook requests from this system.", { retryAfterMs: 1000 });
      }
    };
    try {
      const received = await receiveWebhook(engine, { system, body, headers: req.headers, admit });
      return Response.json({ received: true, duplicate: received.duplicate }, { status: received.status });
    } catch (err) {
      if (isSyncError(err) && (err.code === "UNAUTHORIZED" || err.code === "NOT_FOUND") && address) await failures.penalty(address, 1);
      throw err;
    }
  } catch (err) {
    return errorResponse(err);
  }
}
