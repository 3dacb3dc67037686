// Programmatic API: one node:http server hosting every sample system under `/{key}`.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Doc, Id } from "./lib/collection";
import type { Faults } from "./lib/faults";
import { sendHtml, sendJson } from "./lib/http";
import { SampleSystem, type SystemConfig, type SystemStats } from "./lib/system";
import { escapeHtml } from "./lib/ui";
import { generateSecret } from "./lib/webhooks";
import { SYSTEM_DEFINITIONS, type CmsIndustry, type DashboardIndustry, type LeadCentreIndustry } from "./systems";

export type { Faults } from "./lib/faults";
export type { SystemConfig, SystemStats } from "./lib/system";
export type { Doc, Id } from "./lib/collection";
export type { CmsIndustry, DashboardIndustry, LeadCentreIndustry } from "./systems";
export { signWebhook, generateSecret } from "./lib/webhooks";
export { ValidationError, NotFoundError } from "./lib/collection";
export { generateIndustries, sampleIndustries, type SampleIndustry } from "./data/industries";

export type SampleSystemKey = "dashboard" | "cms" | "lead-centre";
export const SAMPLE_SYSTEM_KEYS: readonly SampleSystemKey[] = ["dashboard", "cms", "lead-centre"];

/** Document type of each system's default collection (industries). */
export interface SampleDocs {
  dashboard: DashboardIndustry;
  cms: CmsIndustry;
  "lead-centre": LeadCentreIndustry;
}

export interface SampleSystemsOptions {
  /** 0 = random free port (default 0) */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** default "sample-key" */
  apiKey?: string;
  /** where webhooks go: `${concordUrl}/api/webhooks/${key}`; null/undefined = no webhooks */
  concordUrl?: string | null;
  /** `whsec_…` secrets; generated when missing */
  secrets?: Partial<Record<SampleSystemKey, string>>;
  /** load the demo data set (default false) */
  seed?: boolean;
  /** send webhooks (default true; needs concordUrl) */
  webhooks?: boolean;
}

/** Direct, in-process access to one system (for tests and benchmarks). `collection` defaults to "industries". */
export interface SampleSystemHandle<D = Doc> {
  readonly key: SampleSystemKey;
  readonly secret: string;
  /** e.g. http://127.0.0.1:4000/dashboard/api */
  readonly apiUrl: string;
  /** e.g. http://127.0.0.1:4000/dashboard/ */
  readonly uiUrl: string;
  /** every doc (copies), sorted by (updated time asc, id asc) */
  all(collection?: string): D[];
  get(id: Id, collection?: string): D | undefined;
  stats(): SystemStats;
  faults(): Faults;
  setFaults(patch: Partial<Faults>): Faults;
  config(): SystemConfig;
  setConfig(patch: Partial<SystemConfig>): SystemConfig;
  /** clears storage, stats, faults and queued webhooks (config kept) */
  reset(): void;
  /** loads docs in the system's own shape; no webhooks, not counted; ids assigned when missing */
  seed(records: ReadonlyArray<Partial<D>>, collection?: string): number;
  /** loads the demo data set */
  seedSample(): number;
  /** loads `n` synthetic records (`generateIndustries(n, offset)` in this system's shape) */
  seedSynthetic(n: number, offset?: number): number;
  /** writes like the API / UI do: validated, counted in stats, webhooks sent. Throw ValidationError / NotFoundError. */
  create(input: Partial<D>, collection?: string): D;
  update(id: Id, patch: Partial<D>, collection?: string): D;
  remove(id: Id, collection?: string): D;
  /** resolves when no webhook is queued or in flight */
  webhooksIdle(): Promise<void>;
}

export interface SampleSystems {
  /** e.g. http://127.0.0.1:4000 */
  url: string;
  port: number;
  apiKey: string;
  secrets: Record<SampleSystemKey, string>;
  system<K extends SampleSystemKey>(key: K): SampleSystemHandle<SampleDocs[K]>;
  /** resets every system */
  reset(): void;
  close(): Promise<void>;
}

const copy = <D>(doc: Doc | undefined): D | undefined => (doc ? ({ ...doc } as D) : undefined);

function makeHandle<D>(s: SampleSystem, baseUrl: string): SampleSystemHandle<D> {
  const col = (name?: string) => s.collection(name);
  const parse = (id: Id, name?: string): Id => col(name).parseId(id) ?? id;
  return {
    key: s.key as SampleSystemKey,
    secret: s.secret,
    apiUrl: `${baseUrl}/${s.key}/api`,
    uiUrl: `${baseUrl}/${s.key}/`,
    all: (name) => col(name).all().map((d) => ({ ...d }) as D),
    get: (id, name) => copy<D>(col(name).get(parse(id, name))),
    stats: () => s.getStats(),
    faults: () => s.getFaults(),
    setFaults: (patch) => s.setFaults(patch),
    config: () => s.getConfig(),
    setConfig: (patch) => s.setConfig(patch),
    reset: () => s.reset(),
    seed: (records, name) => s.seed(records as unknown as Doc[], name),
    seedSample: () => s.seedSample(),
    seedSynthetic: (n, offset) => s.seedSynthetic(n, offset),
    create: (input, name) => ({ ...col(name).create(input as Doc) }) as D,
    update: (id, patch, name) => ({ ...col(name).update(parse(id, name), patch as Doc) }) as D,
    remove: (id, name) => ({ ...col(name).remove(parse(id, name)) }) as D,
    webhooksIdle: () => s.webhooksIdle(),
  };
}

function indexPage(systems: Map<string, SampleSystem>): string {
  const items = [...systems.values()]
    .map((s) => `<li><a href="/${escapeHtml(s.key)}/">${escapeHtml(s.def.title)}</a> — <code>/${escapeHtml(s.key)}/api/…</code></li>`)
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sample systems</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:40px;color:#1f2933}a{color:#2563eb}</style></head>
<body><h1>Sample systems</h1><ul>${items}</ul></body></html>`;
}

export async function startSampleSystems(opts: SampleSystemsOptions = {}): Promise<SampleSystems> {
  const host = opts.host ?? "127.0.0.1";
  const apiKey = opts.apiKey ?? "sample-key";
  const secrets = {} as Record<SampleSystemKey, string>;
  const systems = new Map<string, SampleSystem>();
  for (const def of SYSTEM_DEFINITIONS) {
    const key = def.key as SampleSystemKey;
    secrets[key] = opts.secrets?.[key] ?? generateSecret();
    const system = new SampleSystem(def, {
      apiKey,
      secret: secrets[key],
      concordUrl: opts.concordUrl ?? null,
      webhooks: opts.webhooks ?? true,
    });
    if (opts.seed) system.seedSample();
    systems.set(def.key, system);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sample.invalid");
    const path = url.pathname;
    if (path === "/") return sendHtml(res, 200, indexPage(systems));
    if (path === "/_health") return sendJson(res, 200, { ok: true });
    if (path === "/_reset" && req.method === "POST") {
      for (const s of systems.values()) s.reset();
      return sendJson(res, 200, { ok: true });
    }
    const slash = path.indexOf("/", 1);
    const key = slash === -1 ? path.slice(1) : path.slice(1, slash);
    const system = systems.get(key);
    if (!system) return sendJson(res, 404, { error: "Not found" });
    return system.handle(req, res, slash === -1 ? "" : path.slice(slash), url);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, { error: err instanceof Error ? err.message : "Internal error" });
      else res.destroy();
    });
  });
  server.on("clientError", (_err, socket) => socket.destroy());
  // long idle keep-alive: clients (which close idle sockets sooner) never race a server-side close
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const handles = new Map<string, SampleSystemHandle<unknown>>();
  for (const s of systems.values()) handles.set(s.key, makeHandle(s, url));

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    apiKey,
    secrets: { ...secrets },
    system<K extends SampleSystemKey>(key: K): SampleSystemHandle<SampleDocs[K]> {
      const h = handles.get(key);
      if (!h) throw new Error(`Unknown sample system: ${key}`);
      return h as SampleSystemHandle<SampleDocs[K]>;
    },
    reset() {
      for (const s of systems.values()) s.reset();
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const s of systems.values()) s.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
