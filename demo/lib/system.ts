// One sample system: its collections, stats, faults, webhook config and routes
// (`/api/...` in the system's dialect, control endpoints `/_*`, HTML UI).
import type { IncomingMessage, ServerResponse } from "node:http";
import { Collection, NotFoundError, ValidationError, type ChangeType, type Doc } from "./collection";
import { DEFAULT_FAULTS, FaultsError, mergeFaults, type Faults } from "./faults";
import { BodyError, MIB, parseJsonObject, readBody, redirect, send, sendHtml, sendJson, sleep, type Reply } from "./http";
import { Stats, type StatsSnapshot } from "./stats";
import type { SystemDefinition } from "./types";
import { applyUiAction, renderPage } from "./ui";
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
}

const SEED_BODY_LIMIT = 256 * MIB;
const WRITE_METHODS = new Set(["POST", "PATCH", "PUT", "DELETE"]);
const STAT_KIND: Record<ChangeType, "create" | "update" | "delete"> = { created: "create", updated: "update", deleted: "delete" };

export class ConfigError extends Error {}

export class SampleSystem {
  readonly key: string;
  readonly secret: string;
  readonly collections = new Map<string, Collection>();
  readonly defaultCollection: Collection;
  private readonly stats = new Stats();
  private readonly sender: WebhookSender;
  private faults: Faults = { ...DEFAULT_FAULTS };
  private config: SystemConfig;

  constructor(
    readonly def: SystemDefinition,
    private readonly opts: SystemOptions,
  ) {
    this.key = def.key;
    this.secret = opts.secret;
    this.sender = new WebhookSender(opts.secret);
    this.config = { webhooks: opts.webhooks, concordUrl: normalizeUrl(opts.concordUrl) };
    for (const spec of def.collections) {
      const col = new Collection(spec);
      col.onChange = (type, doc, c) => this.changed(type, doc, c);
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

  /** Clears storage (ids restart), stats, faults and queued webhooks. Config is kept. */
  reset(): void {
    for (const c of this.collections.values()) c.reset();
    this.stats.reset();
    this.faults = { ...DEFAULT_FAULTS };
    this.sender.reset();
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
    if (rest.startsWith("/api/") || rest === "/api") return this.api(req, res, rest.slice(5), url);
    if (rest.startsWith("/ui/")) return this.ui(req, res, rest.slice(4));
    const control = `${method} ${rest}`;
    try {
      switch (control) {
        case "GET ":
        case "GET /":
          return this.page(res, url);
        case "GET /_stats":
          return sendJson(res, 200, this.getStats());
        case "GET /_faults":
          return sendJson(res, 200, this.getFaults());
        case "PUT /_faults":
        case "PATCH /_faults":
          return sendJson(res, 200, this.setFaults(parseJsonObject(await readBody(req)) as Partial<Faults>));
        case "GET /_config":
          return sendJson(res, 200, this.getConfig());
        case "PUT /_config":
        case "PATCH /_config":
          return sendJson(res, 200, this.setConfig(parseJsonObject(await readBody(req)) as Partial<SystemConfig>));
        case "POST /_reset":
          this.reset();
          return sendJson(res, 200, { ok: true });
        case "POST /_seed":
          return sendJson(res, 200, this.seedFromBody(parseJsonObject(await readBody(req, SEED_BODY_LIMIT))));
        case "GET /_all":
          return sendJson(res, 200, Object.fromEntries([...this.collections].map(([n, c]) => [n, c.all()])));
        default:
          return sendJson(res, 404, { error: "Not found" });
      }
    } catch (err) {
      if (err instanceof BodyError) return sendJson(res, err.status, { error: err.message });
      if (err instanceof FaultsError || err instanceof ConfigError) return sendJson(res, 400, { error: err.message });
      if (err instanceof ValidationError) return sendJson(res, 400, { error: err.message, fields: err.fields });
      throw err;
    }
  }

  private changed(type: ChangeType, doc: Doc, col: Collection): void {
    this.stats.write(STAT_KIND[type]);
    const { webhooks, concordUrl } = this.config;
    if (!webhooks || !concordUrl) return;
    const url = `${concordUrl}/api/webhooks/${this.key}`;
    this.sender.enqueue(url, `${col.name}:${String(doc.id)}`, `${col.spec.singular}.${type}`, doc);
  }

  private seedSets(sets: Record<string, Doc[]>): number {
    let n = 0;
    for (const [name, docs] of Object.entries(sets)) n += this.collection(name).seed(docs);
    return n;
  }

  private seedFromBody(body: Doc): { seeded: number; count: number } {
    const name = typeof body.collection === "string" ? body.collection : undefined;
    if (name !== undefined && !this.collections.has(name)) throw new ValidationError({ collection: "Unknown collection" });
    let seeded: number;
    if (typeof body.generate === "number") {
      if (!Number.isInteger(body.generate) || body.generate < 0 || body.generate > 1_000_000) {
        throw new ValidationError({ generate: "Must be an integer in 0..1000000" });
      }
      seeded = this.seedSynthetic(body.generate, typeof body.offset === "number" ? body.offset : 0);
    } else if (Array.isArray(body.records)) {
      seeded = this.seed(body.records as Doc[], name);
    } else if (body.sample === true) {
      seeded = this.seedSample();
    } else {
      throw new ValidationError({ records: "Expected { records: [...] }, { generate: n } or { sample: true }" });
    }
    return { seeded, count: this.getStats().count };
  }

  private async api(req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<void> {
    this.stats.request();
    const dialect = this.def.dialect;
    const method = req.method ?? "GET";
    if (this.faults.down) {
      req.socket.destroy();
      return;
    }
    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);
    if (this.faults.rate429 > 0 && Math.random() < this.faults.rate429) {
      const r = dialect.error(429, "Too many requests");
      return send(res, { ...r, headers: { ...r.headers, "retry-after": String(this.faults.retryAfterSeconds) } });
    }
    if (this.faults.errorRate > 0 && Math.random() < this.faults.errorRate) {
      return sendJson(res, 500, { error: "injected" });
    }
    if (!dialect.authorize(req.headers.authorization, this.opts.apiKey)) return send(res, dialect.unauthorized());

    const segments = path.split("/").filter((s) => s !== "");
    const col = segments.length >= 1 && segments.length <= 2 ? this.collections.get(segments[0]!) : undefined;
    let r: Reply;
    if (!col) {
      r = dialect.notFound();
    } else {
      try {
        const body = ["POST", "PATCH", "PUT"].includes(method) ? parseJsonObject(await readBody(req)) : {};
        const id = segments[1] === undefined ? undefined : decodeURIComponent(segments[1]);
        r = dialect.handle({ method, collection: col, id, query: url.searchParams, body, path: url.pathname });
      } catch (err) {
        if (err instanceof BodyError) r = dialect.error(err.status, err.message);
        else if (err instanceof ValidationError) r = dialect.validation(err.fields, col);
        else if (err instanceof NotFoundError) r = dialect.notFound();
        else if (err instanceof URIError) r = dialect.notFound();
        else throw err;
      }
    }
    if (WRITE_METHODS.has(method) && this.faults.applyButTimeoutMs > 0) await sleep(this.faults.applyButTimeoutMs);
    send(res, r);
  }

  private page(res: ServerResponse, url: URL): void {
    const name = url.searchParams.get("c") ?? undefined;
    const col = name && this.collections.has(name) ? this.collection(name) : this.defaultCollection;
    const html = renderPage({
      systemKey: this.key,
      systemTitle: this.def.title,
      collection: col,
      collections: [...this.collections.keys()],
      error: url.searchParams.get("error"),
      ok: url.searchParams.get("ok"),
    });
    sendHtml(res, 200, html);
  }

  /** POST /ui/{collection}/create | /ui/{collection}/{id}/update | /ui/{collection}/{id}/delete → 303 back. */
  private async ui(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const seg = path.split("/").map((s) => safeDecode(s));
    const col = seg[0] ? this.collections.get(seg[0]) : undefined;
    if (req.method !== "POST" || !col) return sendJson(res, 404, { error: "Not found" });
    let outcome: { kind: "ok" | "error"; message: string };
    try {
      outcome = applyUiAction(col, seg.slice(1), new URLSearchParams(await readBody(req)));
    } catch (err) {
      if (!(err instanceof BodyError)) throw err;
      outcome = { kind: "error", message: err.message };
    }
    redirect(res, `/${this.key}/?c=${encodeURIComponent(col.name)}&${outcome.kind}=${encodeURIComponent(outcome.message)}`);
  }
}

function normalizeUrl(url: string | null): string | null {
  return url ? url.replace(/\/+$/, "") : null;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
