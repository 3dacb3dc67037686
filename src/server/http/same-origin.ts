import { SyncError } from "~/sync/errors";

const REFUSED = "Cross-site request refused: a change made with a session must come from Concord's own pages.";

/**
 * A browser session's writes must come from Concord's own pages. The session cookie rides along on any
 * cross-site request, and tRPC's fetch adapter takes `multipart/form-data`, which a page elsewhere can POST
 * without a preflight. So a POST that is not an API-key call (no `Authorization` header: a browser never
 * adds one on its own) is refused when a browser says it came from elsewhere: an `Origin` (browsers send it
 * on every cross-origin POST) whose host is not this request's, or `Sec-Fetch-Site` other than same-origin.
 * A client that sends neither is no browser, so no page can have made it send the cookie. Throws FORBIDDEN.
 */
export function assertSameOriginWrite(req: Request): void {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return;
  if (req.headers.get("authorization")) return;
  const origin = req.headers.get("origin");
  const site = req.headers.get("sec-fetch-site");
  if (origin !== null) {
    const host = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || req.headers.get("host") || new URL(req.url).host;
    if (hostOf(origin)?.toLowerCase() !== host.toLowerCase()) throw new SyncError("FORBIDDEN", REFUSED);
  }
  if (site !== null && site !== "same-origin" && site !== "none") throw new SyncError("FORBIDDEN", REFUSED);
}

function hostOf(origin: string): string | null {
  if (origin === "null") return null;
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}
