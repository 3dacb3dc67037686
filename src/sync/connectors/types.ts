/** How Concord talks to an external system. Every failure is thrown as a SyncError. */

export type TDoc = Record<string, unknown>;

export interface TListOptions {
  /** Opaque position from a previous page's `next`; null/undefined = first page. */
  cursor?: string | null;
  limit: number;
  /** Only records changed after this instant, when the system can filter by it. */
  updatedSince?: Date | null;
  /** Equality filters, field → value. */
  where?: Record<string, string>;
}

export interface TUpdateOptions {
  ifVersion?: Date | null;
}

export interface TListResult {
  items: TDoc[];
  /** Cursor of the next page, null on the last page. */
  next: string | null;
  total?: number;
}

export interface Connector {
  list(resource: string, opts: TListOptions): Promise<TListResult>;
  /** null when the record does not exist (404). */
  get(resource: string, id: string): Promise<TDoc | null>;
  create(resource: string, body: TDoc): Promise<TDoc>;
  /**
   * With `ifVersion` (the document's updated-at as Concord last saw it), a system that supports conditional
   * writes refuses the update when the document changed since: a SyncError with code UPSTREAM_CHANGED.
   */
  update(resource: string, id: string, body: TDoc, opts?: TUpdateOptions): Promise<TDoc>;
  /** A record that is already gone (404/410) counts as removed. */
  remove(resource: string, id: string): Promise<void>;
  /** Every record whose `field` equals `value`. */
  findBy(resource: string, field: string, value: string): Promise<TDoc[]>;
  /**
   * Every record whose `field` equals one of `values`, in one request (Payload: `where[field][in]=a,b,c`); null
   * when one request cannot say for sure (a value the filter cannot carry, more matches than a page): then ask
   * per value with `findBy`. Absent when the system has no such filter.
   */
  findByAny?(resource: string, field: string, values: string[]): Promise<TDoc[] | null>;
  /** A system-specific action (e.g. the Onboarding Portal's `sync/export/{vesselId}`): POST, the single document back; null on 404. */
  action?(path: string, body?: TDoc): Promise<TDoc | null>;
}

export interface TConnectorAttempt {
  method: string;
  url: string;
  /** null when no response came (timeout, network error). */
  status: number | null;
  durationMs: number;
  /** First 500 characters of the response body, with the credential blanked out. */
  excerpt: string;
}

/** One HTTP exchange as a pooled client makes it: no redirects followed, the whole body read as text. */
export interface THttpClient {
  request(req: { url: URL; method: string; headers: Record<string, string>; body?: string; signal: AbortSignal }): Promise<{ status: number; headers: { get(name: string): string | null }; text: string }>;
}

export interface ConnectorContext {
  baseUrl: string;
  /** The credential header, e.g. { header: "authorization", value: "Bearer …" } or "x-api-key". */
  authorization?: { header: string; value: string } | null;
  timeoutMs: number;
  fetch: typeof fetch;
  /** A pooled HTTP client used instead of `fetch` when given (cheaper per request than WHATWG fetch). */
  client?: THttpClient;
  /** Called once per HTTP request, for request logs. Exceptions thrown here are ignored. */
  onAttempt?: (a: TConnectorAttempt) => void;
  /** Wall clock in ms (durations, Retry-After dates); defaults to Date.now. */
  now?: () => number;
  /** The only hosts requests may go to (see `hostAllowed`); null or absent = any. */
  allowedHosts?: readonly string[] | null;
  /** Awaited before every HTTP request the connector makes: where the system's rate limit is kept. */
  beforeRequest?: () => Promise<void>;
}
