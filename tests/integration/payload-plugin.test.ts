import { Webhook } from "standardwebhooks";
import { describe, expect, it, vi } from "vitest";
import { verifyWebhook } from "~/sync/signature";
import {
  ConcordDeliveryError,
  concordPlugin,
  type CollectionAfterChangeHookArgs,
  type CollectionAfterDeleteHookArgs,
  type Config,
  type ConcordPluginOptions,
  type FetchLike,
} from "../../integrations/payload/src/index";

// Unit tests of the Payload plugin: its hooks are called the way Payload 3 calls them (the hook
// arrays in order, each hook's return value becoming the doc), against a fake fetch.

const SECRET = `whsec_${Buffer.from("concord-payload-plugin-test-key!").toString("base64")}`;
const CONCORD = "https://concord.example.com/";

interface Captured {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A fetch that records each request and answers with the next status (the last one repeats). */
function fakeFetch(statuses: Array<number | "hang" | "refuse"> = [202]) {
  const requests: Captured[] = [];
  const fetch = vi.fn<FetchLike>(async (url, init) => {
    requests.push({ url, headers: init.headers, body: init.body });
    const next = statuses[Math.min(requests.length - 1, statuses.length - 1)]!;
    if (next === "hang") return new Promise<never>(() => {}); // ignores the abort signal, like a black hole
    if (next === "refuse") throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED 10.0.0.5:443"), { code: "ECONNREFUSED" }) });
    return new Response(next === 202 ? '{"status":"accepted"}' : '{"error":"Service Unavailable"}', { status: next });
  });
  return { fetch, requests };
}

const existingAfterChange = vi.fn(({ doc }: { doc: Record<string, unknown> }) => ({ ...doc, computedByTheSite: true }));
const existingAfterDelete = vi.fn();
const beforeChange = vi.fn(({ data }: { data: unknown }) => data);

/** A Payload config the way a site writes it: auth users, uploads, and the synced collection with its own hooks. */
function siteConfig() {
  return {
    secret: "payload-secret",
    serverURL: "https://cms.example.com",
    collections: [
      { slug: "users", auth: true, fields: [{ name: "name", type: "text" }] },
      {
        slug: "industries",
        admin: { useAsTitle: "name" },
        fields: [
          { name: "name", type: "text", required: true },
          { name: "slug", type: "text", required: true, unique: true },
          { name: "description", type: "textarea" },
          { name: "active", type: "checkbox", defaultValue: true },
          { name: "seoTitle", type: "text" },
        ],
        hooks: { beforeChange: [beforeChange], afterChange: [existingAfterChange], afterDelete: [existingAfterDelete] },
      },
      { slug: "media", upload: true, fields: [{ name: "alt", type: "text" }] },
    ],
  };
}

function setup(o: Partial<ConcordPluginOptions> = {}, statuses?: Array<number | "hang" | "refuse">) {
  const f = fakeFetch(statuses);
  const onError = vi.fn();
  const plugin = concordPlugin({ concordUrl: CONCORD, secret: SECRET, collections: { industries: "industry" }, fetch: f.fetch, onError, retryDelayMs: 10, ...o });
  const original = siteConfig();
  const config = plugin(original);
  return { ...f, plugin, config, original, onError };
}

const industry = () => ({
  id: "6650f1c2a4b5c6d7e8f90123",
  name: "Roofing",
  slug: "roofing",
  description: "Roof repairs and replacements.",
  active: true,
  seoTitle: "Roofers near you",
  createdAt: "2025-02-03T10:15:00.000Z",
  updatedAt: "2025-06-01T08:30:12.345Z",
});

/** A PayloadRequest as hooks see it: the Payload instance with its pino logger, the open transaction, the request context. */
function request(o: { transactionID?: number | string; context?: Record<string, unknown> } = {}) {
  const logger = { warn: vi.fn(), info: vi.fn(), error: vi.fn(), debug: vi.fn() };
  return {
    payload: { logger, config: { serverURL: "https://cms.example.com" } },
    user: { id: "665000000000000000000001", collection: "users", email: "editor@example.com" },
    locale: "en",
    transactionID: o.transactionID,
    context: o.context ?? {},
    headers: new Headers({ "user-agent": "Mozilla/5.0" }),
  };
}

function collectionOf(config: Config, slug: string) {
  const c = config.collections?.find((x) => x.slug === slug);
  if (!c) throw new Error(`no collection ${slug}`);
  return c;
}

/** Runs the collection's afterChange hooks like Payload: in order, a hook's return value (if any) becomes the doc. */
async function afterChange(config: Config, args: Omit<CollectionAfterChangeHookArgs, "collection" | "context"> & { context?: Record<string, unknown> }) {
  const collection = collectionOf(config, "industries");
  const context = args.context ?? args.req.context ?? {};
  let doc = args.doc;
  for (const hook of collection.hooks?.afterChange ?? []) {
    doc = ((await hook({ ...args, doc, collection, context })) as typeof doc | undefined) ?? doc;
  }
  return doc;
}

async function afterDelete(config: Config, args: Omit<CollectionAfterDeleteHookArgs, "collection" | "context">) {
  const collection = collectionOf(config, "industries");
  for (const hook of collection.hooks?.afterDelete ?? []) await hook({ ...args, collection, context: args.req.context ?? {} });
}

const headersOf = (r: Captured) => ({ id: r.headers["webhook-id"], timestamp: r.headers["webhook-timestamp"], signature: r.headers["webhook-signature"] });

describe("Payload plugin: events", () => {
  it("sends industry.created from afterChange, signed so both Concord's verifier and the standardwebhooks package accept it", async () => {
    const s = setup();
    const doc = industry();
    await afterChange(s.config, { doc, previousDoc: {} as typeof doc, operation: "create", req: request() });
    await s.plugin.idle();

    expect(s.requests).toHaveLength(1);
    const r = s.requests[0]!;
    expect(r.url).toBe("https://concord.example.com/api/webhooks/cms");
    expect(r.headers["content-type"]).toBe("application/json");
    expect(r.headers["webhook-id"]).toMatch(/^msg_[A-Za-z0-9_-]{16,}$/);
    expect(Math.abs(Number(r.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(5);
    expect(verifyWebhook({ secrets: [SECRET], headers: headersOf(r), body: new TextEncoder().encode(r.body), now: Date.now })).toEqual({ ok: true });
    expect(new Webhook(SECRET).verify(r.body, r.headers)).toMatchObject({ type: "industry.created" });

    const body = JSON.parse(r.body);
    expect(body).toEqual({ type: "industry.created", timestamp: expect.any(String), data: { ...doc, computedByTheSite: true } });
    expect(Number.isNaN(Date.parse(body.timestamp))).toBe(false);
    // a tampered body no longer verifies: the signature covers the exact bytes sent
    expect(verifyWebhook({ secrets: [SECRET], headers: headersOf(r), body: r.body.replace("Roofing", "Roofinf"), now: Date.now }).ok).toBe(false);
  });

  it("maps update to industry.updated and delete to industry.deleted with the doc, each with its own webhook-id", async () => {
    const s = setup({ system: "marketing-site" });
    const before = industry();
    const after = { ...before, description: "Flat and pitched roofs.", updatedAt: "2025-06-02T09:00:00.000Z" };
    await afterChange(s.config, { doc: after, previousDoc: before, operation: "update", req: request() });
    await afterDelete(s.config, { doc: after, id: after.id, req: request() });
    await s.plugin.idle();

    expect(s.requests.map((r) => r.url)).toEqual(["https://concord.example.com/api/webhooks/marketing-site", "https://concord.example.com/api/webhooks/marketing-site"]);
    const [updated, deleted] = s.requests.map((r) => JSON.parse(r.body));
    expect(updated).toMatchObject({ type: "industry.updated", data: { id: after.id, description: "Flat and pitched roofs." } });
    expect(deleted).toMatchObject({ type: "industry.deleted", data: { id: after.id, slug: "roofing" } });
    expect(new Set(s.requests.map((r) => r.headers["webhook-id"])).size).toBe(2);
    for (const r of s.requests) expect(new Webhook(SECRET).verify(r.body, r.headers)).toBeTruthy();
    expect(existingAfterDelete).toHaveBeenCalled();
  });

  it("freezes the event when the hook runs: a later change to the doc object is not sent", async () => {
    const s = setup();
    const doc = industry();
    const returned = await afterChange(s.config, { doc, previousDoc: doc, operation: "update", req: request() });
    (returned as Record<string, unknown>).name = "Changed after the hook";
    await s.plugin.idle();
    expect(JSON.parse(s.requests[0]!.body).data.name).toBe("Roofing");
  });

  it("without payload.db, waits for Payload to delete req.transactionID before sending", async () => {
    const s = setup();
    const req = request({ transactionID: "6650f1c2a4b5c6d7e8f9aaaa" });
    await afterChange(s.config, { doc: industry(), previousDoc: industry(), operation: "update", req });
    await new Promise((r) => setTimeout(r, 120));
    expect(s.requests).toHaveLength(0);
    delete req.transactionID; // what Payload's commitTransaction does
    await s.plugin.idle();
    expect(s.requests).toHaveLength(1);
  });

  it("sends as soon as payload.db.commitTransaction resolves, and nothing for a rolled-back write", async () => {
    const s = setup();
    const db = {
      commitTransaction: vi.fn(async (_id: string | number | Promise<string | number>) => undefined),
      rollbackTransaction: vi.fn(async (_id: string | number | Promise<string | number>) => undefined),
    };
    const committedReq = { ...request({ transactionID: "tx-1" }), payload: { ...request().payload, db } };
    const rolledBackReq = { ...request({ transactionID: "tx-2" }), payload: { ...request().payload, db } };
    await afterChange(s.config, { doc: industry(), previousDoc: industry(), operation: "update", req: committedReq });
    await afterDelete(s.config, { doc: { ...industry(), id: "other" }, id: "other", req: rolledBackReq });
    await new Promise((r) => setTimeout(r, 50));
    expect(s.requests).toHaveLength(0); // both still open
    await db.rollbackTransaction("tx-2");
    await db.commitTransaction("tx-1");
    await s.plugin.idle();
    expect(s.requests.map((r) => JSON.parse(r.body).type)).toEqual(["industry.updated"]);
    expect(committedReq.payload.logger.warn).not.toHaveBeenCalled();
    expect(rolledBackReq.payload.logger.warn).not.toHaveBeenCalled();
  });

  it("sends at once when req.transactionID is a Promise of null (the adapter has transactions off)", async () => {
    const s = setup();
    const req = { ...request(), transactionID: Promise.resolve(null) as unknown as Promise<string> };
    await afterChange(s.config, { doc: industry(), previousDoc: industry(), operation: "update", req });
    await s.plugin.idle();
    expect(s.requests).toHaveLength(1);
  });

  it("gives the event up with a warning when the transaction outlives commitWaitMs", async () => {
    const s = setup({ commitWaitMs: 60 });
    const db = { commitTransaction: async () => undefined, rollbackTransaction: async () => undefined };
    const req = { ...request({ transactionID: 7 }), payload: { ...request().payload, db } };
    await afterChange(s.config, { doc: industry(), previousDoc: industry(), operation: "update", req });
    await s.plugin.idle();
    expect(s.requests).toHaveLength(0);
    expect(req.payload.logger.warn.mock.calls[0]![1]).toMatch(/not sent: its transaction was still open after 60 ms/);
  });

  it("skips drafts unless sendDrafts is set", async () => {
    const s = setup();
    await afterChange(s.config, { doc: { ...industry(), _status: "draft" }, previousDoc: industry(), operation: "update", req: request() });
    await afterChange(s.config, { doc: { ...industry(), _status: "published" }, previousDoc: industry(), operation: "update", req: request() });
    await s.plugin.idle();
    expect(s.requests.map((r) => JSON.parse(r.body).data._status)).toEqual(["published"]);

    const d = setup({ sendDrafts: true });
    await afterChange(d.config, { doc: { ...industry(), _status: "draft" }, previousDoc: industry(), operation: "update", req: request() });
    await d.plugin.idle();
    expect(d.requests).toHaveLength(1);
  });

  it("sends nothing when context.skipConcord is true (on the hook's context or the request's)", async () => {
    const s = setup();
    await afterChange(s.config, { doc: industry(), previousDoc: industry(), operation: "update", req: request(), context: { skipConcord: true } });
    await afterChange(s.config, { doc: industry(), previousDoc: industry(), operation: "update", req: request({ context: { skipConcord: true } }) });
    await afterDelete(s.config, { doc: industry(), id: industry().id, req: request({ context: { skipConcord: true } }) });
    await s.plugin.idle();
    expect(s.requests).toHaveLength(0);
  });
});

describe("Payload plugin: Concord down never fails the CMS write", () => {
  it("returns the doc at once when Concord hangs, then gives up after one retry with a warning", async () => {
    const s = setup({ timeoutMs: 50 }, ["hang"]);
    const doc = industry();
    const req = request();
    // The fetch never answers: the hooks returning at all, before the send has been given up, shows they do not wait for it.
    const returned = await afterChange(s.config, { doc, previousDoc: doc, operation: "update", req });
    expect(req.payload.logger.warn).not.toHaveBeenCalled();
    expect(returned).toEqual({ ...doc, computedByTheSite: true });

    await s.plugin.idle();
    expect(s.requests).toHaveLength(2);
    expect(s.requests[0]!.headers["webhook-id"]).toBe(s.requests[1]!.headers["webhook-id"]);
    expect(req.payload.logger.warn).toHaveBeenCalledTimes(1);
    const [fields, message] = req.payload.logger.warn.mock.calls[0]!;
    expect(message).toMatch(/industry\.updated for industries\/6650f1c2a4b5c6d7e8f90123 not delivered after 2 attempts: no answer \(no answer within 50 ms\).*scheduled run will catch up/);
    expect(fields).toMatchObject({ attempts: 2, status: null, collection: "industries", system: "cms" });
  });

  it("returns the doc unchanged when fetch rejects (connection refused), and the hook never throws", async () => {
    const s = setup({}, ["refuse"]);
    const doc = industry();
    const req = request();
    // our hook alone, as Payload would call it: it returns the very doc it was given
    const ours = collectionOf(s.config, "industries").hooks!.afterChange!.at(-1)!;
    expect(ours({ doc, previousDoc: doc, operation: "create", collection: { slug: "industries" }, req, context: {} })).toBe(doc);
    await s.plugin.idle();
    expect(s.requests).toHaveLength(2);
    expect(req.payload.logger.warn).toHaveBeenCalledTimes(1);
    expect(req.payload.logger.warn.mock.calls[0]![1]).toMatch(/no answer \(fetch failed\)/);
    expect(s.onError).toHaveBeenCalledTimes(1);
    const err = s.onError.mock.calls[0]![0] as ConcordDeliveryError;
    expect(err).toBeInstanceOf(ConcordDeliveryError);
    expect(err.cause).toBeInstanceOf(TypeError);
  });

  it("retries once on 503 and succeeds, with the same webhook-id so Concord stores it once", async () => {
    const s = setup({}, [503, 202]);
    const req = request();
    await afterChange(s.config, { doc: industry(), previousDoc: industry(), operation: "update", req });
    await s.plugin.idle();
    expect(s.requests).toHaveLength(2);
    expect(s.requests[0]!.headers["webhook-id"]).toBe(s.requests[1]!.headers["webhook-id"]);
    expect(s.requests[1]!.body).toBe(s.requests[0]!.body);
    expect(req.payload.logger.warn).not.toHaveBeenCalled();
    expect(s.onError).not.toHaveBeenCalled();
  });

  it("retries once on 503, then gives up with a warning naming the status", async () => {
    const s = setup({}, [503]);
    const req = request();
    await afterChange(s.config, { doc: industry(), previousDoc: industry(), operation: "create", req });
    await s.plugin.idle();
    expect(s.requests).toHaveLength(2);
    expect(req.payload.logger.warn).toHaveBeenCalledTimes(1);
    expect(req.payload.logger.warn.mock.calls[0]![1]).toMatch(/industry\.created .* not delivered after 2 attempts: HTTP 503/);
    expect((s.onError.mock.calls[0]![0] as ConcordDeliveryError).details).toMatchObject({ attempts: 2, status: 503, type: "industry.created", docId: industry().id });
  });

  it("does not retry a refusal (401) and says what to check", async () => {
    const s = setup({}, [401]);
    const req = request();
    await afterDelete(s.config, { doc: industry(), id: industry().id, req });
    await s.plugin.idle();
    expect(s.requests).toHaveLength(1);
    expect(req.payload.logger.warn.mock.calls[0]![1]).toMatch(/HTTP 401 \(Concord refused the signature: check the secret/);
  });

  it("a throwing logger or onError, or a doc JSON cannot hold, still does not fail the write", async () => {
    const s = setup({ onError: () => { throw new Error("onError broke"); } }, [503]);
    const req = request();
    req.payload.logger.warn.mockImplementation(() => {
      throw new Error("logger broke");
    });
    const weird = { ...industry(), big: 10n } as unknown as ReturnType<typeof industry>;
    await expect(afterChange(s.config, { doc: weird, previousDoc: weird, operation: "update", req })).resolves.toBeTruthy();
    await afterChange(s.config, { doc: industry(), previousDoc: industry(), operation: "update", req });
    await expect(s.plugin.idle()).resolves.toBeUndefined();
    expect(req.payload.logger.warn).toHaveBeenCalledTimes(2);
  });
});

describe("Payload plugin: config", () => {
  it("adds its hooks after the existing ones, which stay and still run; other collections and options are untouched", async () => {
    const s = setup();
    const original = siteConfig();
    expect(s.config.collections?.find((c) => c.slug === "users")).toBe(s.original.collections[0]);
    expect(s.config.collections?.find((c) => c.slug === "media")).toBe(s.original.collections[2]);
    expect(s.config).toMatchObject({ secret: "payload-secret", serverURL: "https://cms.example.com" });

    const industries = s.config.collections.find((c) => c.slug === "industries")!;
    expect(industries.fields).toEqual(original.collections[1]!.fields);
    expect(industries.admin).toEqual({ useAsTitle: "name" });
    const hooks = industries.hooks!;
    expect(hooks.beforeChange).toHaveLength(2); // the site's own, then the plugin's conditional-update check
    expect(hooks.beforeChange![0]).toBe(beforeChange);
    expect(hooks.afterChange).toHaveLength(2);
    expect(hooks.afterChange[0]).toBe(existingAfterChange);
    expect(hooks.afterDelete).toHaveLength(2);
    expect(hooks.afterDelete[0]).toBe(existingAfterDelete);
    // the site's own config object is not mutated
    expect(s.original.collections[1]!.hooks?.afterChange).toHaveLength(1);

    existingAfterChange.mockClear();
    await afterChange(s.config, { doc: industry(), previousDoc: industry(), operation: "update", req: request() });
    expect(existingAfterChange).toHaveBeenCalledTimes(1);
    await s.plugin.idle();
    expect(s.requests).toHaveLength(1);
  });

  it("adds hooks to a collection that has none", () => {
    const plugin = concordPlugin({ concordUrl: CONCORD, secret: SECRET, collections: { industries: "industry" } });
    const config = plugin({ collections: [{ slug: "industries" }] });
    expect(collectionOf(config, "industries").hooks?.afterChange).toHaveLength(1);
    expect(collectionOf(config, "industries").hooks?.afterDelete).toHaveLength(1);
  });

  it("throws at config time for a collection name that is not in the config, naming it and the ones that are", () => {
    const plugin = concordPlugin({ concordUrl: CONCORD, secret: SECRET, collections: { industries: "industry", industrys: "industry" } });
    expect(() => plugin(siteConfig())).toThrow('concordPlugin: "industrys" is not a collection in this Payload config (collections: users, industries, media).');
  });

  it("throws at once for unusable options", () => {
    const base = { concordUrl: CONCORD, secret: SECRET, collections: { industries: "industry" } };
    expect(() => concordPlugin({ ...base, concordUrl: "concord.example.com" })).toThrow(/concordUrl must be an http\(s\) URL/);
    expect(() => concordPlugin({ ...base, secret: "" })).toThrow(/secret must be the whsec_/);
    expect(() => concordPlugin({ ...base, secret: "whsec_not base64!" })).toThrow(/secret/);
    expect(() => concordPlugin({ ...base, collections: {} })).toThrow(/at least one collection/);
    expect(() => concordPlugin({ ...base, collections: { industries: "Industry!" } })).toThrow(/entity "Industry!"/);
    expect(() => concordPlugin({ ...base, timeoutMs: -1 })).toThrow(/timeoutMs/);
  });

  it("enabled: false returns the config untouched and checks nothing", () => {
    const plugin = concordPlugin({ concordUrl: "", secret: "", collections: { nowhere: "industry" }, enabled: false });
    const config = siteConfig();
    expect(plugin(config)).toBe(config);
  });

  it("fits Payload 3's Plugin type and hook arrays (type-level check against Payload-shaped declarations)", () => {
    // Trimmed copies of Payload 3's own declarations, as strict as Payload's (required fields, pino overloads).
    type PayloadLogger = {
      warn: { <T extends object>(obj: T, msg?: string, ...args: unknown[]): void; (obj: unknown, msg?: string, ...args: unknown[]): void; (msg: string, ...args: unknown[]): void };
    };
    interface RequestContext {
      [key: string]: unknown;
    }
    interface PayloadRequest {
      payload: { logger: PayloadLogger; db: { name: string }; config: object };
      context: RequestContext;
      transactionID?: number | Promise<number | string> | string;
      user: null | { id: string; collection: string };
      locale?: string;
    }
    interface SanitizedCollectionConfig {
      slug: string;
      fields: unknown[];
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    type PAfterChange<T extends { id: number | string } = any> = (args: { collection: SanitizedCollectionConfig; context: RequestContext; data: Partial<T>; doc: T; operation: "create" | "update"; previousDoc: T; req: PayloadRequest }) => unknown;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    type PAfterDelete<T extends { id: number | string } = any> = (args: { collection: SanitizedCollectionConfig; context: RequestContext; doc: T; id: number | string; req: PayloadRequest }) => unknown;
    interface PCollectionConfig {
      slug: string;
      fields: unknown[];
      hooks?: { afterChange?: PAfterChange[]; afterDelete?: PAfterDelete[]; beforeChange?: Array<(args: { data: unknown }) => unknown> };
    }
    interface PConfig {
      secret: string;
      db: { name: string };
      collections?: PCollectionConfig[];
      plugins?: PPlugin[];
    }
    type PPlugin = (config: PConfig) => PConfig | Promise<PConfig>;

    const plugins: PPlugin[] = [concordPlugin({ concordUrl: CONCORD, secret: SECRET, collections: { industries: "industry" } })];
    const out = plugins[0]!({ secret: "s", db: { name: "mongoose" }, collections: [{ slug: "industries", fields: [] }] }) as PConfig;
    const hook: PAfterChange | undefined = out.collections?.[0]?.hooks?.afterChange?.[0];
    expect(typeof hook).toBe("function");
  });
});
