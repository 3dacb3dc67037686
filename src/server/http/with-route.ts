import { isSyncError, type SyncError } from "~/sync/errors";
import { currentRequestId, log, withRequestContext } from "~/server/log";

const STATUS: Record<SyncError["code"], number> = {
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  CONFLICT: 409,
  UNPROCESSABLE: 422,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UPSTREAM_RETRYABLE: 502,
  UPSTREAM_PERMANENT: 502,
  UPSTREAM_AUTH: 502,
  UPSTREAM_RATE_LIMITED: 502,
  UPSTREAM_CHANGED: 502,
  INTERNAL: 500,
};

type Handler<C> = (req: Request, ctx: C) => Promise<Response> | Response;

/**
 * Wraps a route handler once: a request id on every log line and on the response, domain errors turned
 * into `{error: {code, message}}` with the right status, and anything else a 500 that hides internals.
 */
export function withRoute<C>(handler: Handler<C>): Handler<C> {
  return (req, ctx) =>
    withRequestContext(req.headers.get("x-request-id"), async () => {
      let res: Response;
      try {
        res = await handler(req, ctx);
      } catch (err) {
        res = errorResponse(err);
      }
      const id = currentRequestId();
      if (id && !res.headers.has("x-request-id")) {
        try {
          res.headers.set("x-request-id", id);
        } catch {
          // immutable headers (a redirect or a proxied response): leave them
        }
      }
      return res;
    });
}

export function errorResponse(err: unknown): Response {
  if (isSyncError(err)) {
    const body: Record<string, unknown> = { code: err.code, message: err.message };
    if (err.field) body.field = err.field;
    const headers: Record<string, string> = {};
    if (err.code === "RATE_LIMITED" && err.retryAfterMs) headers["retry-after"] = String(Math.ceil(err.retryAfterMs / 1000));
    return Response.json({ error: body }, { status: STATUS[err.code], headers });
  }
  log.error({ err }, "request failed");
  return Response.json({ error: { code: "INTERNAL", message: "Something went wrong on the server. It has been logged." } }, { status: 500 });
}
