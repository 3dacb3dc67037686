import { SyncError } from "../errors";
import { createPayloadConnector, type TPayloadOptions } from "./payload";
import { createRestConnector } from "./rest";
import type { TRestDialectInput } from "./rest-dialect";
import type { Connector, ConnectorContext } from "./types";

export type TConnectorKind = "rest" | "payload";

/** A connector of the given kind; "rest" needs a dialect, "payload" takes optional { apiPath }. */
export function createConnector(kind: "rest", ctx: ConnectorContext, dialect: TRestDialectInput): Connector;
export function createConnector(kind: "payload", ctx: ConnectorContext, dialect?: TPayloadOptions): Connector;
export function createConnector(
  kind: TConnectorKind,
  ctx: ConnectorContext,
  dialect?: TRestDialectInput | TPayloadOptions,
): Connector;
export function createConnector(
  kind: TConnectorKind,
  ctx: ConnectorContext,
  dialect?: TRestDialectInput | TPayloadOptions,
): Connector {
  if (kind === "payload") return createPayloadConnector(ctx, (dialect ?? {}) as TPayloadOptions);
  if (kind === "rest") {
    if (!dialect) throw new SyncError("BAD_REQUEST", "a REST connector needs a dialect", { field: "dialect" });
    return createRestConnector(ctx, dialect as TRestDialectInput);
  }
  throw new SyncError("BAD_REQUEST", `unknown connector kind "${String(kind)}"`, { field: "kind" });
}

export { createPayloadConnector, type TPayloadOptions } from "./payload";
export { createRestConnector } from "./rest";
export {
  ZRestDialect,
  ZPagePagination,
  ZCursorPagination,
  type TRestDialect,
  type TRestDialectInput,
  type TPagePagination,
  type TCursorPagination,
} from "./rest-dialect";
export type { Connector, ConnectorContext, TConnectorAttempt, TDoc, TListOptions, TListResult } from "./types";
export { hostAllowed, parseAllowedHosts } from "./allowed-hosts";
