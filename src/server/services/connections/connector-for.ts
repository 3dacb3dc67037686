import { createConnector, type Connector, type TConnectorAttempt } from "~/sync/connectors";
import { SyncError } from "~/sync/errors";
import type { Engine } from "~/server/engine/context";
import { acquireRequestSlot } from "../delivery/rate-limit";
import type { TConnection } from "./get-connection";

/** One authorization object per connection (connections are cached per system version), so the connector's per-credential work is done once. */
const authorizations = new WeakMap<TConnection, { header: string; value: string } | null>();
function authorizationOf(conn: TConnection): { header: string; value: string } | null {
  if (!authorizations.has(conn)) authorizations.set(conn, conn.auth ? { header: conn.def.authHeader, value: conn.auth } : null);
  return authorizations.get(conn) ?? null;
}

/**
 * A connector for a system's connection; `onAttempt` sees every HTTP request it makes. Every request first
 * takes a send slot of the system's rate limit (shared by all processes): no caller has to remember it.
 */
export function connectorFor(engine: Engine, conn: TConnection, onAttempt?: (a: TConnectorAttempt) => void): Connector {
  if (!conn.baseUrl) throw new SyncError("BAD_REQUEST", `System "${conn.def.key}" has no base URL yet: set it on the Systems page.`);
  const ctx = {
    baseUrl: conn.baseUrl,
    authorization: authorizationOf(conn),
    timeoutMs: conn.timeoutMs,
    fetch: engine.fetch,
    ...(engine.http ? { client: engine.http } : {}),
    onAttempt,
    now: () => engine.now().getTime(),
    allowedHosts: engine.allowedHosts,
    beforeRequest: () => acquireRequestSlot(engine, conn.def.key, conn.rateLimitPerSecond),
  };
  if (conn.def.connector === "payload") return createConnector("payload", ctx, { apiPath: conn.def.apiPath });
  return createConnector("rest", ctx, conn.def.dialect!);
}
