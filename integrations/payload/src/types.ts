/**
 * Types only (erased before bundling, so this import never reaches Turbopack or webpack): the plugin's
 * options and results, and the few Payload 3 shapes this plugin touches, declared here so the folder needs no `payload`
 * import. They are deliberately loose: Payload's own `Config`, `CollectionConfig`, hook arguments
 * and `PayloadRequest` are assignable to them (no index signatures, optional where Payload's are
 * required), so `concordPlugin(...)` fits `plugins: [...]` and the hooks fit Payload's hook arrays.
 */

import type { ConcordDeliveryError } from "./index.js";

/** A document as Payload hands it to hooks (depth 0: relationships are ids). */
export interface TypeWithID {
  id: string | number;
}

/** A document of any collection: its id and whatever fields it has. */
export type Doc = TypeWithID & { [field: string]: unknown };

/** Payload's `RequestContext`. */
export type RequestContext = Record<string, unknown>;

/** The part of Payload's pino logger used here. */
export interface PayloadLogger {
  warn: (obj: object, msg?: string) => void;
}

/** The part of Payload's `PayloadRequest` used here. */
export interface PayloadRequest {
  /** `db` is the database adapter, whose commitTransaction / rollbackTransaction the plugin watches. */
  payload?: { logger?: PayloadLogger; db?: object };
  /** The open transaction's id (a Promise of null when the adapter has transactions off); Payload deletes it on commit or rollback. */
  transactionID?: number | string | Promise<number | string> | null;
  context?: RequestContext;
  /** The incoming request's headers (absent for Local API calls). */
  headers?: { get(name: string): string | null };
}

export interface CollectionBeforeChangeHookArgs<T extends TypeWithID = Doc> {
  data: Partial<T>;
  originalDoc?: T;
  operation: "create" | "update";
  collection: { slug: string };
  req: PayloadRequest;
  context?: RequestContext;
}

export interface CollectionAfterChangeHookArgs<T extends TypeWithID = Doc> {
  doc: T;
  previousDoc?: T;
  operation: "create" | "update";
  collection: { slug: string };
  req: PayloadRequest;
  context?: RequestContext;
}

export interface CollectionAfterDeleteHookArgs<T extends TypeWithID = Doc> {
  doc: T;
  id: string | number;
  collection: { slug: string };
  req: PayloadRequest;
  context?: RequestContext;
}

// Method syntax makes the argument bivariant, so Payload's richer hook types and these ones can sit
// in the same `hooks.afterChange` array in either direction.
type Hook<A> = { bivarianceHack(args: A): unknown }["bivarianceHack"];

export type CollectionBeforeChangeHook<T extends TypeWithID = Doc> = Hook<CollectionBeforeChangeHookArgs<T>>;
export type CollectionAfterChangeHook<T extends TypeWithID = Doc> = Hook<CollectionAfterChangeHookArgs<T>>;
export type CollectionAfterDeleteHook<T extends TypeWithID = Doc> = Hook<CollectionAfterDeleteHookArgs<T>>;

export interface CollectionConfig {
  slug: string;
  /** `any` documents, as in Payload's own `CollectionConfig`, so a site's hooks typed for its documents fit. */
  hooks?: {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    beforeChange?: CollectionBeforeChangeHook<any>[];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    afterChange?: CollectionAfterChangeHook<any>[];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    afterDelete?: CollectionAfterDeleteHook<any>[];
  };
}

export interface Config {
  collections?: CollectionConfig[];
  /** Payload's log level per error name. */
  loggingLevels?: Record<string, "debug" | "error" | "fatal" | "info" | "trace" | "warn" | false>;
}

// ---- The plugin's own types ----

/** The part of `fetch` used here; the global `fetch` fits. */
export type FetchLike = (
  url: string,
  init: { method: "POST"; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{ status: number; text?: () => Promise<string> }>;

export interface DeliveryOptions {
  url: string;
  secret: string;
  fetch: FetchLike;
  /** Per attempt. */
  timeoutMs: number;
  /** Wait before the one retry. */
  retryDelayMs: number;
  now: () => number;
}

export type DeliveryResult =
  | { ok: true; status: number; attempts: number }
  | { ok: false; attempts: number; status: number | null; responseText: string | null; cause: unknown };

export interface ConcordPluginOptions {
  /** Concord's base URL, e.g. `https://concord.example.com`; events go to `{concordUrl}/api/webhooks/{system}`. */
  concordUrl: string;
  /** This site's system key in Concord. Default `"cms"`. */
  system?: string;
  /** The `whsec_…` secret Concord holds for this system (`CONCORD_SYSTEM_CMS_WEBHOOK_SECRET`). */
  secret: string;
  /** Collection slug → Concord entity, e.g. `{ industries: "industry" }`. Every slug must exist in the config. */
  collections: Record<string, string>;
  /** Per attempt, default 3000. */
  timeoutMs?: number;
  /** Wait before the one retry, default 1000. */
  retryDelayMs?: number;
  /** Longest wait for the write's transaction to end; an event still waiting then is given up with a warning. Default 60000. */
  commitWaitMs?: number;
  /** Events waiting or in flight beyond this are dropped with a warning, default 1000. */
  maxPending?: number;
  /** Send changes to drafts (`_status: "draft"`) too. Default false: only published content goes out. */
  sendDrafts?: boolean;
  /** Default: the global `fetch`. */
  fetch?: FetchLike;
  /** Called (besides the log line) whenever an event is given up on. */
  onError?: (error: ConcordDeliveryError) => void;
  /** `false` leaves the config untouched (and skips option checks), e.g. when the env is not set. Default true. */
  enabled?: boolean;
  /** Keeps a serverless function alive until the send ends, e.g. Next's `after` or Vercel's `waitUntil`. */
  waitUntil?: (promise: Promise<unknown>) => void;
}

/** A Payload plugin; `idle()` resolves once every event already handed to the plugin is sent or given up. */
export type ConcordPlugin = (<C extends Config>(config: C) => C) & { idle(): Promise<void> };
