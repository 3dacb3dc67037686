// Contracts between the shared core (lib/system.ts) and one sample system's file.
import type { ChangeType, Collection, CollectionSpec, Doc, Id } from "./collection";
import type { Reply } from "./http";

/** An authenticated, fault-free API request handed to a dialect. */
export interface ApiRequest {
  method: string;
  collection: Collection;
  /** raw `{id}` URL segment; undefined for collection routes */
  id: string | undefined;
  query: URLSearchParams;
  /** parsed JSON object body for POST/PATCH/PUT (`{}` when empty or for other methods) */
  body: Doc;
  /** request path, e.g. "/cms/api/industries/abc" */
  path: string;
}

/** An authenticated request offered to a dialect's custom routes before collection routing. */
export interface RouteRequest {
  method: string;
  /** decoded path segments after `/api/` and the dialect's prefix, e.g. ["export", "<id>"] */
  segments: readonly string[];
  query: URLSearchParams;
  body: Doc;
  path: string;
}

/** What custom routes may reach of their system. */
export interface SystemContext {
  readonly collections: ReadonlyMap<string, Collection>;
}

/**
 * How one system speaks REST. `handle` and `route` may throw ValidationError / NotFoundError /
 * ConflictError (from lib/collection.ts); the core turns them into `validation()` / `notFound()` / `conflict()`.
 */
export interface Dialect {
  authorize(authorization: string | undefined, apiKey: string): boolean;
  unauthorized(): Reply;
  notFound(): Reply;
  /** generic error in the dialect's shape (bad JSON, body too large, 429, unsupported method…) */
  error(status: number, message: string): Reply;
  /** `collection` is the routed one, or the system's default collection for custom routes */
  validation(fields: Record<string, string>, collection: Collection): Reply;
  /** 409 in the dialect's shape; default `error(409, message)` */
  conflict?(message: string, field?: string): Reply;
  /** `/api/` path segments before the collection name, e.g. ["sync"]; other paths are 404 */
  prefix?: readonly string[];
  /** custom routes, tried before the collection routes; undefined = not one of them */
  route?(req: RouteRequest, system: SystemContext): Reply | undefined;
  handle(req: ApiRequest): Reply;
}

/** One successful write, as a system's webhook hook sees it. */
export interface Change {
  type: ChangeType;
  /** the document now (for deletes: the removed document) */
  doc: Doc;
  /** the document before an update or delete; undefined for creates */
  previous: Doc | undefined;
  collection: Collection;
}

/** A per-record button in the HTML UI (POST /{key}/ui/{collection}/{id}/{name}). */
export interface RecordAction {
  /** URL segment; not "update" or "delete" */
  name: string;
  label: string;
  /** whether the button shows for `doc` (default: always) */
  applies?(doc: Doc, collection: Collection): boolean;
  /** performs the action like an API write; may throw like a dialect */
  run(collection: Collection, id: Id): Doc;
}

/** Everything that makes up one sample system; add a file in demo/systems/ to add a system. */
export interface SystemDefinition {
  /** path prefix and webhook system key, e.g. "lead-centre" */
  key: string;
  /** human name, e.g. "Sample Lead Centre" */
  title: string;
  /** first one is the default collection (UI, handle methods) */
  collections: CollectionSpec[];
  dialect: Dialect;
  /** the demo data set, by collection name */
  sample?(): Record<string, Doc[]>;
  /** `n` cheap synthetic records (benchmarks), by collection name */
  synthetic?(n: number, offset: number): Record<string, Doc[]>;
  /** which webhook event a write sends: the change's own type by default; null = none */
  webhookEvent?(change: Change): ChangeType | null;
  /** extra per-record buttons in the HTML UI */
  actions?: RecordAction[];
  /** keep every API request received (method, path, query, raw body) for tests: `/_requests` */
  recordRequests?: boolean;
}
