// Programmatic API: one node:http server hosting every sample system under `/{key}`.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { makeHandle, type SampleSystemHandle, type SampleSystemKey } from "./handle";
import { sendHtml, sendJson } from "./lib/http";
import { SampleSystem } from "./lib/system";
import { escapeHtml } from "./lib/ui";
import type { WebhookFaults } from "./lib/webhook-faults";
import { generateSecret } from "./lib/webhooks";
import {
  SYSTEM_DEFINITIONS,
  type CmsIndustry,
  type DashboardIndustry,
  type LeadCentreIndustry,
  type MaintenanceCompany,
  type OnboardingCompany,
} from "./systems";

export type { Faults } from "./lib/faults";
export type { WebhookFaults, WebhookLogEntry } from "./lib/webhook-faults";
export type { SystemConfig, SystemStats } from "./lib/system";
export type { Doc, Id } from "./lib/collection";
export type { RecordedRequest } from "./lib/requests";
export type { SampleSystemHandle, SampleSystemKey } from "./handle";
export type * from "./systems";
export { signWebhook, generateSecret } from "./lib/webhooks";
export { ConflictError, ValidationError, NotFoundError } from "./lib/collection";
export { generateIndustries, sampleIndustries, type SampleIndustry } from "./data/industries";
export { sampleFleet, synthetic as syntheticFleet, validImo, isValidImo, type Fleet } from "./data/fleet";

export const SAMPLE_SYSTEM_KEYS: readonly SampleSystemKey[] = ["dashboard", "cms", "lead-centre", "onboarding", "maintenance"];

/** Document type of each system's default collection (industries; companies for the portals). */
export interface SampleDocs {
  dashboard: DashboardIndustry;
  cms: CmsIndustry;
  "lead-centre": LeadCentreIndustry;
  onboarding: OnboardingCompany;
  maintenance: MaintenanceCompany;
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
  /** pauses between webhook attempts, ms (default 100, 500, 2000) */
  webhookRetryDelaysMs?: readonly number[];
  /** webhook faults per system from the start (delay, jitter, reorder, drop, seed) */
  webhookFaults?: Partial<Record<SampleSystemKey, Partial<WebhookFaults>>>;
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
      webhookRetryDelaysMs: opts.webhookRetryDelaysMs,
    });
    if (opts.seed) system.seedSample();
    const faults = opts.webhookFaults?.[key];
    if (faults) system.setWebhookFaults(faults);
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
