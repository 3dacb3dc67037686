// Contracts between the shared core (lib/system.ts) and one sample system's file.
import type { Collection, CollectionSpec, Doc } from "./collection";
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

/**
 * How one system speaks REST. `handle` may throw ValidationError / NotFoundError
 * (from lib/collection.ts); the core turns them into `validation()` / `notFound()`.
 */
export interface Dialect {
  authorize(authorization: string | undefined, apiKey: string): boolean;
  unauthorized(): Reply;
  notFound(): Reply;
  /** generic error in the dialect's shape (bad JSON, body too large, 429, unsupported method…) */
  error(status: number, message: string): Reply;
  validation(fields: Record<string, string>, collection: Collection): Reply;
  handle(req: ApiRequest): Reply;
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
}
