/**
 * The few Payload 3 shapes this plugin touches, declared here so the folder needs no `payload`
 * import. They are deliberately loose: Payload's own `Config`, `CollectionConfig`, hook arguments
 * and `PayloadRequest` are assignable to them (no index signatures, optional where Payload's are
 * required), so `concordPlugin(...)` fits `plugins: [...]` and the hooks fit Payload's hook arrays.
 */

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
  payload?: { logger?: PayloadLogger };
  /** Set while the write's transaction is open; Payload deletes it on commit or rollback. */
  transactionID?: number | string | Promise<number | string> | null;
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

export type CollectionAfterChangeHook<T extends TypeWithID = Doc> = Hook<CollectionAfterChangeHookArgs<T>>;
export type CollectionAfterDeleteHook<T extends TypeWithID = Doc> = Hook<CollectionAfterDeleteHookArgs<T>>;

export interface CollectionConfig {
  slug: string;
  /** `any` documents, as in Payload's own `CollectionConfig`, so a site's hooks typed for its documents fit. */
  hooks?: {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    afterChange?: CollectionAfterChangeHook<any>[];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    afterDelete?: CollectionAfterDeleteHook<any>[];
  };
}

export interface Config {
  collections?: CollectionConfig[];
}
