// One sample system: its collections, stats, faults, webhook config and routes
// (`/api/...` in the system's dialect: lib/api.ts; control endpoints `/_*`: lib/control.ts; HTML UI: lib/ui-routes.ts).
import type { IncomingMessage, ServerResponse } from "node:http";
import { serveApi } from "./api";
import { Collection, ValidationError, type ChangeType, type Doc, type Peers } from "./collection";
import { serveControl } from "./control";
import { DEFAULT_FAULTS, FaultsError, mergeFaults, type Faults } from "./faults";
import { BodyError, sendJson } from "./http";
import { RequestLog } from "./requests";
import { Stats, type StatsSnapshot } from "./stats";
import type { SystemContext, SystemDefinition } from "./types";
import { serveUiAction, serveUiPage } from "./ui-routes";
import { mergeWebhookFaults, WebhookFaultsError, type WebhookFaults, type WebhookLogEntry } from "./webhook-faults";
import { WebhookSender, type WebhookStats } from "./webhooks";

export interface SystemConfig {
  webhooks: boolean;
  concordUrl: string | null;
}

export interface SystemStats extends StatsSnapshot {
  count: number;
  collections: Record<string, number>;
  webhooks: WebhookStats;
}

export interface SystemOptions {
  apiKey: string;
  secret: string;
  concordUrl: string | null;
  webhooks: boolean;
  /** pauses between webhook attempts (default RETRY_DELAYS_MS) */
  webhookRetryDelaysMs?: readonly number[];
}

const STAT_KIND: Record<ChangeType, "create" | "update" | "delete"> = { created: "create", updated: "update", deleted: "delete" };

export class ConfigError extends Error {}

export class SampleSystem implements SystemContext {
  readonly key: string;
  readonly secret: string;
  readonly apiKey: string;
  readonly collections = new Map<string, Collection>();
  readonly defaultCollection: Collection;
  readonly stats = new Stats();
  /** set when the definition asks to record requests */
  readonly requestLog: RequestLog | undefined;
  private readonly sender: WebhookSender;
  private faults: Faults = { ...DEFAULT_FAULTS };
  private config: SystemConfig;

  constructor(
    readonly def: SystemDefinition,
    opts: SystemOptions,
  ) {
    this.key = def.key;
    this.secret = opts.secret;
    this.apiKey = opts.apiKey;
    this.sender = new WebhookSender(opts.secret, { retryDelaysMs: opts.webhookRetryDelaysMs });
    this.requestLog = def.recordRequests ? new RequestLog() : undefined;
    this.config = { webhooks: opts.webhooks, concordUrl: normalizeUrl(opts.concordUrl) };
    const peers: Peers = { get: (name) => this.collections.get(name), all: () => this.collections.values() };
    for (const spec of def.collections) {
      const col = new Collection(spec);
      col.onChange = (type, doc, c, previous) => this.changed(type, doc, c, previous);
      col.peers = peers;
      this.collections.set(spec.name, col);
    }
    const first = this.collections.get(def.collections[0]!.name);
    if (!first) throw new Error(`system ${def.key} has no collections`);
    this.defaultCollection = first;
  }

  collection(name?: string): Collection {
    const col = name === undefined ? this.defaultCollection : this.collections.get(name);
    if (!col) throw new Error(`${this.key} has no collection ${name}`);
    return col;
  }

  getStats(): SystemStats {
    const collections: Record<string, number> = {};
    let count = 0;
    for (const [name, c] of this.collections) {
      collections[name] = c.size;
      count += c.size;
    }
    return { ...this.stats.snapshot(), count, collections, webhooks: this.sender.stats() };
  }

  getFaults(): Faults {
    return { ...this.faults };
  }

  setFaults(patch: Partial<Faults>): Faults {
    this.faults = mergeFaults(this.faults, patch);
    return this.getFaults();
  }

  getWebhookFaults(): WebhookFaults {
    return this.sender.getFaults();
  }

  setWebhookFaults(patch: Partial<WebhookFaults>): WebhookFaults {
    return this.sender.setFaults(mergeWebhookFaults(this.sender.getFaults(), patch));
  }

  /** What became of each webhook sent since the last reset (acked, failed, dropped, discarded). */
  webhookOutcomes(): WebhookLogEntry[] {
    return this.sender.outcomes();
  }

  getConfig(): SystemConfig {
    return { ...this.config };
  }

  setConfig(patch: Partial<SystemConfig>): SystemConfig {
    if (patch === null || typeof patch !== "object") throw new ConfigError("Body must be an object");
    const next = { ...this.config };
    if ("webhooks" in patch) {
      if (typeof patch.webhooks !== "boolean") throw new ConfigError("webhooks must be a boolean");
      next.webhooks = patch.webhooks;
    }
    if ("concordUrl" in patch) {
      const url = patch.concordUrl;
      if (url !== null && (typeof url !== "string" || !URL.canParse(url))) throw new ConfigError("concordUrl must be a URL or null");
      next.concordUrl = normalizeUrl(url ?? null);
    }
    this.config = next;
    return this.getConfig();
  }

  /** Clears storage (ids restart), stats, faults (webhook faults too), recorded requests and queued webhooks. Config is kept. */
  reset(): void {
    for (const c of this.collections.values()) c.reset();
    this.stats.reset();
    this.faults = { ...DEFAULT_FAULTS };
    this.sender.reset();
    this.requestLog?.clear();
  }

  seed(records: readonly Doc[], collection?: string): number {
    return this.collection(collection).seed(records);
  }

  seedSample(): number {
    return this.seedSets(this.def.sample?.() ?? {});
  }

  seedSynthetic(n: number, offset = 0): number {
    return this.seedSets(this.def.synthetic?.(n, offset) ?? {});
  }

  webhooksIdle(): Promise<void> {
    return this.sender.idle();
  }

  close(): void {
    this.sender.close();
  }

  /** Routes a request whose path starts with `/{key}`; `rest` is the remainder. */
  async handle(req: IncomingMessage, res: ServerResponse, rest: string, url: URL): Promise<void> {
    const method = req.method ?? "GET";
    if (rest.startsWith("/api/") || rest === "/api") return serveApi(this, req, res, rest.slice(5), url);
    if (rest.startsWith("/ui/")) return serveUiAction(this, req, res, rest.slice(4));
    if (method === "GET" && (rest === "" || rest === "/")) return serveUiPage(this, res, url);
    try {
      if (!(await serveControl(this, req, res, `${method} ${rest}`))) sendJson(res, 404, { error: "Not found" });
    } catch (err) {
      if (err instanceof BodyError) return sendJson(res, err.status, { error: err.message });
      if (err instanceof FaultsError || err instanceof ConfigError || err instanceof WebhookFaultsError) return sendJson(res, 400, { error: err.message });
      if (err instanceof ValidationError) return sendJson(res, 400, { error: err.message, fields: err.fields });
      throw err;
    }
  }

  private changed(type: ChangeType, doc: Doc, col: Collection, previous: Doc | undefined): void {
    this.stats.write(STAT_KIND[type]);
    const { webhooks, concordUrl } = this.config;
    if (!webhooks || !concordUrl) return;
    const event = this.def.webhookEvent ? this.def.webhookEvent({ type, doc, previous, collection: col }) : type;
    if (!event) return;
    const url = `${concordUrl}/api/webhooks/${this.key}`;
    this.sender.enqueue(url, `${col.name}:${String(doc.id)}`, `${col.spec.singular}.${event}`, doc);
  }

  private seedSets(sets: Record<string, Doc[]>): number {
    let n = 0;
    for (const [name, docs] of Object.entries(sets)) n += this.collection(name).seed(docs);
    return n;
  }
}

function normalizeUrl(url: string | null): string | null {
  return url ? url.replace(/\/+$/, "") : null;
}
