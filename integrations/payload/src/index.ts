import { createHmac, randomBytes } from "node:crypto";
import type {
  CollectionAfterChangeHook,
  CollectionAfterChangeHookArgs,
  CollectionAfterDeleteHook,
  CollectionAfterDeleteHookArgs,
  CollectionBeforeChangeHook,
  CollectionBeforeChangeHookArgs,
  CollectionConfig,
  ConcordPlugin,
  ConcordPluginOptions,
  Config,
  DeliveryOptions,
  DeliveryResult,
  FetchLike,
  PayloadRequest,
  RequestContext,
  TypeWithID,
} from "./types.js";

// One runtime file on purpose: a site copies this folder into its own src/, and Next 16 builds with
// Turbopack, which does not map a relative `./x.js` import to `x.ts` (webpack's extensionAlias in
// Payload's template does not apply there), while an extensionless import fails under Node's ESM
// and `moduleResolution: nodenext`. Only type imports (erased before bundling) cross files.

export type * from "./types.js";

// ---- Standard Webhooks signing ----
/**
 * Standard Webhooks signing (https://www.standardwebhooks.com), self-contained so this folder can be
 * copied into a Payload site: HMAC-SHA256 over `${id}.${timestamp}.${body}`, keyed with the
 * base64-decoded secret (the `whsec_` prefix is optional), sent as `v1,<base64>`.
 */

const SECRET_PREFIX = "whsec_";
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The key bytes of a `whsec_…` (or bare base64) secret; null when it is not usable. */
export function decodeSecret(secret: string): Buffer | null {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!BASE64.test(encoded)) return null;
  const key = Buffer.from(encoded, "base64");
  return key.length > 0 ? key : null;
}

/** `v1,<base64 HMAC-SHA256>` of the exact body bytes. Throws on an unusable secret. */
export function sign(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = decodeSecret(secret);
  if (!key) throw new Error("webhook secret must be base64, optionally prefixed with whsec_");
  const mac = createHmac("sha256", key).update(`${id}.${timestampSeconds}.`, "utf8").update(body, "utf8").digest("base64");
  return `v1,${mac}`;
}

/** The three Standard Webhooks headers for one attempt. */
export function webhookHeaders(secret: string, id: string, timestampSeconds: number, body: string): Record<string, string> {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": sign(secret, id, timestampSeconds, body),
  };
}

/** A new message id, unique per event (and kept across retries, so Concord drops a repeat). */
export function newMessageId(): string {
  return `msg_${randomBytes(16).toString("base64url")}`;
}

// ---- Delivery: one POST, one retry ----
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class AttemptTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = "TimeoutError";
  }
}

/** One POST, given up after `timeoutMs` even if the fetch ignores its abort signal. */
async function attempt(opts: DeliveryOptions, id: string, body: string): Promise<{ status: number; text: string }> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new AttemptTimeout(opts.timeoutMs));
    }, opts.timeoutMs);
  });
  try {
    const run = async () => {
      const headers = { "content-type": "application/json", ...webhookHeaders(opts.secret, id, Math.floor(opts.now() / 1000), body) };
      const res = await opts.fetch(opts.url, { method: "POST", headers, body, signal: controller.signal });
      // Read the (small) answer so the connection is released and a refusal can be logged.
      const text = res.text ? await res.text().catch(() => "") : "";
      return { status: res.status, text };
    };
    return await Promise.race([run(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const retryable = (status: number) => status >= 500 || status === 429 || status === 408;

/**
 * Sends one signed event: 2xx is done (202 stored, 200 a repeat of a `webhook-id` Concord already
 * has); a network error, timeout, 408, 429 or 5xx is retried once after `retryDelayMs` with the same
 * `webhook-id` (re-signed with a fresh timestamp); any other answer is final.
 */
export async function deliver(opts: DeliveryOptions, id: string, body: string): Promise<DeliveryResult> {
  let last: DeliveryResult = { ok: false, attempts: 0, status: null, responseText: null, cause: null };
  for (let n = 1; n <= 2; n++) {
    if (n > 1) await sleep(opts.retryDelayMs);
    try {
      const res = await attempt(opts, id, body);
      if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, attempts: n };
      last = { ok: false, attempts: n, status: res.status, responseText: res.text.slice(0, 500), cause: null };
      if (!retryable(res.status)) return last;
    } catch (err) {
      last = { ok: false, attempts: n, status: null, responseText: null, cause: err };
    }
  }
  return last;
}

// ---- When a write's transaction ends ----

type TransactionID = string | number;
type Outcome = "committed" | "rolled back";

/** The part of Payload's database adapter (`payload.db`) this plugin wraps. */
interface TransactionAdapter {
  commitTransaction?: (id: TransactionID | Promise<TransactionID>) => Promise<unknown>;
  rollbackTransaction?: (id: TransactionID | Promise<TransactionID>) => Promise<unknown>;
  [WATCH]?: TransactionWatch;
}

interface TransactionWatch {
  /** Callbacks waiting for a transaction's outcome. */
  waiting: Map<TransactionID, Set<(outcome: Outcome) => void>>;
  /** Recent outcomes (bounded), for a transaction that ends before its waiter registers. */
  ended: Map<TransactionID, Outcome>;
}

const WATCH = Symbol.for("concord.payload-plugin.transactions");
const ENDED_KEPT = 1000;

/**
 * Payload 3 ends every write's transaction through `payload.db.commitTransaction(id)` (its
 * `commitTransaction(req)` utility, after the operation's last hook) or `payload.db.rollbackTransaction(id)`
 * (`killTransaction(req)`, when the operation throws) — on the SQLite, Postgres and MongoDB adapters
 * alike. Wrapping those two methods of the adapter object, once, tells us the moment the write is
 * committed, or that it never will be. The wrappers call the originals unchanged and never throw
 * anything the originals did not.
 */
function watchTransactions(db: TransactionAdapter): TransactionWatch | null {
  const existing = db[WATCH];
  if (existing) return existing;
  const commit = db.commitTransaction;
  const rollback = db.rollbackTransaction;
  if (typeof commit !== "function" || typeof rollback !== "function") return null;
  const watch: TransactionWatch = { waiting: new Map(), ended: new Map() };
  const settle = (id: TransactionID, outcome: Outcome) => {
    watch.ended.set(id, outcome);
    if (watch.ended.size > ENDED_KEPT) watch.ended.delete(watch.ended.keys().next().value as TransactionID);
    const waiters = watch.waiting.get(id);
    watch.waiting.delete(id);
    for (const fn of waiters ?? []) fn(outcome);
  };
  const wrap = (original: NonNullable<TransactionAdapter["commitTransaction"]>, success: Outcome) =>
    async function (this: unknown, incoming: TransactionID | Promise<TransactionID>) {
      const id = await incoming;
      try {
        const result = await original.call(this, incoming);
        settle(id, success);
        return result;
      } catch (err) {
        settle(id, "rolled back");
        throw err;
      }
    };
  db.commitTransaction = wrap(commit, "committed");
  db.rollbackTransaction = wrap(rollback, "rolled back");
  Object.defineProperty(db, WATCH, { value: watch, enumerable: false });
  return watch;
}

/**
 * How the write behind a hook ends: "committed" (or no transaction at all: the row is already
 * written), "rolled back", or "open" when `waitMs` passed first. Payload sets `req.transactionID` to
 * the adapter's id while the operation's transaction is open; with transactions off (SQLite's
 * default, MongoDB without a replica set) it stays a Promise of null.
 */
async function transactionOutcome(req: PayloadRequest, waitMs: number): Promise<Outcome | "open"> {
  let id = req.transactionID;
  if (id instanceof Promise) id = await id.catch(() => null);
  if (id === undefined || id === null || id === "") return "committed";
  const db = req.payload?.db as TransactionAdapter | undefined;
  const watch = db ? watchTransactions(db) : null;
  const txId = id;
  if (!watch) {
    // An adapter without the two methods: the best sign left is Payload deleting req.transactionID.
    const deadline = Date.now() + waitMs;
    while (req.transactionID === txId && Date.now() < deadline) await sleep(POLL_MS);
    return req.transactionID === txId ? "open" : "committed";
  }
  const known = watch.ended.get(txId);
  if (known) return known;
  return new Promise((resolve) => {
    const waiters = watch.waiting.get(txId) ?? new Set();
    watch.waiting.set(txId, waiters);
    const done = (outcome: Outcome | "open") => {
      clearTimeout(timer);
      waiters.delete(done);
      if (waiters.size === 0 && watch.waiting.get(txId) === waiters) watch.waiting.delete(txId);
      resolve(outcome);
    };
    const timer = setTimeout(() => done("open"), waitMs);
    waiters.add(done);
  });
}

// ---- The plugin ----

/** An event Concord did not take; the next scheduled incremental run picks the change up instead. */
export class ConcordDeliveryError extends Error {
  constructor(
    message: string,
    readonly details: {
      webhookId: string;
      type: string;
      collection: string;
      docId: string | number | null;
      attempts: number;
      /** Concord's HTTP status, null for a network error or timeout (or an event never sent). */
      status: number | null;
    },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ConcordDeliveryError";
  }
}

const POLL_MS = 25;
const NAME = /^[a-z0-9][a-z0-9_-]*$/i;

function checkOptions(o: ConcordPluginOptions): void {
  const problems: string[] = [];
  if (!/^https?:\/\/[^\s/]+/.test(o.concordUrl ?? "")) problems.push("concordUrl must be an http(s) URL");
  if (!decodeSecret(o.secret ?? "")) problems.push("secret must be the whsec_… secret Concord shows for this system");
  if (!NAME.test(o.system ?? "cms")) problems.push("system must be a system key such as \"cms\"");
  const entries = Object.entries(o.collections ?? {});
  if (entries.length === 0) problems.push("collections must name at least one collection, e.g. { industries: \"industry\" }");
  for (const [slug, entity] of entries) {
    if (!/^[a-z][a-z0-9_-]*$/.test(entity)) problems.push(`collections.${slug}: entity "${entity}" must be a Concord entity key such as "industry"`);
  }
  for (const [name, value] of [["timeoutMs", o.timeoutMs], ["retryDelayMs", o.retryDelayMs], ["commitWaitMs", o.commitWaitMs], ["maxPending", o.maxPending]] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) problems.push(`${name} must be a non-negative number`);
  }
  if (problems.length) throw new Error(`concordPlugin: ${problems.join("; ")}.`);
}

/**
 * `plugins: [concordPlugin({ concordUrl, secret, collections: { industries: "industry" } })]`.
 *
 * Appends a `beforeChange` (conditional updates, below), an `afterChange` and an `afterDelete` hook to each
 * named collection (their existing hooks stay and run first; other collections are untouched). The hooks return at once: the event body is
 * built and frozen in the hook, then sent in the background once the write's transaction has ended,
 * so a slow or unreachable Concord never slows or fails the CMS write.
 */
export function concordPlugin(options: ConcordPluginOptions): ConcordPlugin {
  const pending = new Set<Promise<void>>();
  const idle = async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };
  if (options.enabled === false) return Object.assign(<C extends Config>(config: C) => config, { idle });
  checkOptions(options);

  const system = options.system ?? "cms";
  const url = `${options.concordUrl.replace(/\/+$/, "")}/api/webhooks/${encodeURIComponent(system)}`;
  const timeoutMs = options.timeoutMs ?? 3000;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const commitWaitMs = options.commitWaitMs ?? 60_000;
  const maxPending = options.maxPending ?? 1000;
  const fetchImpl: FetchLike = options.fetch ?? ((u, init) => fetch(u, init));

  function report(req: PayloadRequest, error: ConcordDeliveryError): void {
    const logger = req.payload?.logger;
    try {
      if (logger) logger.warn({ err: error, ...error.details, system }, error.message);
      else if (!options.onError) console.warn(`[concord] ${error.message}`, error.details);
    } catch {
      // a broken logger must not surface anywhere
    }
    try {
      options.onError?.(error);
    } catch {
      // nor a throwing onError
    }
  }

  function emit(req: PayloadRequest, type: string, collection: string, doc: TypeWithID): void {
    const webhookId = newMessageId();
    const docId = doc?.id ?? null;
    const details = { webhookId, type, collection, docId };
    if (pending.size >= maxPending) {
      report(req, new ConcordDeliveryError(`concord: ${type} for ${collection}/${docId} dropped, ${maxPending} events already waiting; the next scheduled run will catch up`, { ...details, attempts: 0, status: null }));
      return;
    }
    // Frozen now: later hooks may change `doc`; the bytes signed are the bytes sent.
    const body = JSON.stringify({ type, timestamp: new Date().toISOString(), data: doc });
    const task = (async () => {
      const outcome = await transactionOutcome(req, commitWaitMs);
      if (outcome === "rolled back") return; // the write never happened
      if (outcome === "open") {
        report(req, new ConcordDeliveryError(`concord: ${type} for ${collection}/${docId} not sent: its transaction was still open after ${commitWaitMs} ms; the next scheduled run will catch up`, { ...details, attempts: 0, status: null }));
        return;
      }
      const result = await deliver({ url, secret: options.secret, fetch: fetchImpl, timeoutMs, retryDelayMs, now: Date.now }, webhookId, body);
      if (result.ok) return;
      const why = result.status === null ? `no answer (${result.cause instanceof Error ? result.cause.message : String(result.cause)})` : `HTTP ${result.status}${hint(result.status)}`;
      report(
        req,
        new ConcordDeliveryError(
          `concord: ${type} for ${collection}/${docId} not delivered after ${result.attempts} attempt${result.attempts > 1 ? "s" : ""}: ${why}; the next scheduled run will catch up`,
          { ...details, attempts: result.attempts, status: result.status },
          { cause: result.cause ?? undefined },
        ),
      );
    })()
      .catch(() => undefined)
      .finally(() => pending.delete(task));
    pending.add(task);
    try {
      options.waitUntil?.(task);
    } catch {
      // waitUntil outside a request scope throws in some hosts; the send still runs
    }
  }

  /** Never throws: an error here would fail the CMS write. */
  function safely(req: PayloadRequest, collection: string, run: () => void): void {
    try {
      run();
    } catch (err) {
      report(req, new ConcordDeliveryError(`concord: could not prepare the event for ${collection}: ${err instanceof Error ? err.message : String(err)}`, { webhookId: "", type: "", collection, docId: null, attempts: 0, status: null }, { cause: err }));
    }
  }

  const skipped = (context: RequestContext | undefined, req: PayloadRequest) => context?.skipConcord === true || req?.context?.skipConcord === true;

  function afterChange(entity: string): CollectionAfterChangeHook {
    return (args: CollectionAfterChangeHookArgs) => {
      safely(args.req, args.collection?.slug, () => {
        if (skipped(args.context, args.req)) return;
        if (!options.sendDrafts && (args.doc as { _status?: unknown } | undefined)?._status === "draft") return;
        emit(args.req, `${entity}.${args.operation === "create" ? "created" : "updated"}`, args.collection.slug, args.doc);
      });
      return args.doc;
    };
  }

  function afterDelete(entity: string): CollectionAfterDeleteHook {
    return (args: CollectionAfterDeleteHookArgs) => {
      safely(args.req, args.collection?.slug, () => {
        if (skipped(args.context, args.req)) return;
        emit(args.req, `${entity}.deleted`, args.collection.slug, args.doc ?? { id: args.id });
      });
      return args.doc;
    };
  }

  /**
   * Conditional updates: Concord sends `If-Match: "<updatedAt>"`, the version of the document it last saw.
   * When the document changed since (an edit whose event Concord has not applied yet), the update is
   * refused with 412 inside the write's transaction, so Concord never writes over an edit it has not seen;
   * it reads the document and merges that edit first. Requests without the header are untouched.
   */
  function beforeChange(): CollectionBeforeChangeHook {
    return (args: CollectionBeforeChangeHookArgs) => {
      const header = args.operation === "update" ? args.req?.headers?.get?.("if-match") : null;
      const current = Date.parse(String((args.originalDoc as { updatedAt?: unknown } | undefined)?.updatedAt));
      if (!header || Number.isNaN(current)) return args.data;
      const tags = header.split(",").map((t) => t.trim().replace(/^W\//, "").replace(/^"|"$/g, ""));
      if (tags.includes("*") || tags.some((t) => Date.parse(t) === current)) return args.data;
      throw Object.assign(new Error(`The document changed since that version (it is at ${new Date(current).toISOString()}).`), { name: PRECONDITION_FAILED, status: 412, isPublic: true });
    };
  }

  const plugin = <C extends Config>(config: C): C => {
    const existing = config.collections ?? [];
    const slugs = new Set(existing.map((c) => c.slug));
    const unknown = Object.keys(options.collections).filter((slug) => !slugs.has(slug));
    if (unknown.length) {
      throw new Error(
        `concordPlugin: ${unknown.map((s) => `"${s}"`).join(", ")} ${unknown.length > 1 ? "are not collections" : "is not a collection"} in this Payload config (collections: ${[...slugs].join(", ") || "none"}).`,
      );
    }
    const collections = existing.map((collection): CollectionConfig => {
      const entity = options.collections[collection.slug];
      if (!entity) return collection;
      const hooks = collection.hooks ?? {};
      return {
        ...collection,
        hooks: {
          ...hooks,
          beforeChange: [...(hooks.beforeChange ?? []), beforeChange()],
          afterChange: [...(hooks.afterChange ?? []), afterChange(entity)],
          afterDelete: [...(hooks.afterDelete ?? []), afterDelete(entity)],
        },
      };
    });
    // A refused conditional update is an expected answer, logged as info like Payload's own 4xx errors.
    return { ...config, collections, loggingLevels: { [PRECONDITION_FAILED]: "info", ...config.loggingLevels } };
  };
  return Object.assign(plugin, { idle });
}

const PRECONDITION_FAILED = "ConcordPreconditionFailed";

function hint(status: number): string {
  if (status === 401) return " (Concord refused the signature: check the secret and this server's clock)";
  if (status === 404) return " (Concord does not know this system, or it is disabled)";
  if (status === 413) return " (the document is larger than Concord's WEBHOOK_MAX_BYTES)";
  if (status === 400 || status === 422) return " (Concord could not read the document; see its webhook log)";
  return "";
}
