// A Concord engine for the benchmark: Postgres, the shipped industry entity, and either the shipped
// configuration or a bench-only one holding just the Dashboard and CMS bindings (or just the fleet).
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { defineConfig, type TSyncConfig } from "~/sync/config";
import { fleetEntities, roleMap } from "~/sync/config/fleet";
import { fleetBindings, fleetSystems } from "~/sync/config/fleet-bindings";
import { industryBindings, industryEntity } from "~/sync/config/industries";
import { systemDefs } from "~/sync/config/systems";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Db } from "~/server/db/client";
import { preparingStatements } from "~/server/db/prepared";
import * as schema from "~/server/db/schema";
import { systems } from "~/server/db/schema";
import type { Engine, TSystemOverrides } from "~/server/engine/context";
import { createEngine } from "~/server/engine/create-engine";
import { createHttpClient } from "~/server/engine/http-client";
import type { THttpClient } from "~/sync/connectors/types";
import { ensureSystemRows } from "~/server/services/connections/get-connection";

const pair = (key: string) => key === "dashboard" || key === "cms";

/** Dashboard ↔ CMS only (the seed's topology without the Lead Centre). */
export const dashboardCmsConfig: TSyncConfig = defineConfig({
  entities: [{ ...industryEntity, priority: industryEntity.priority.filter(pair) }],
  systems: systemDefs.filter((s) => pair(s.key)),
  bindings: industryBindings.filter((b) => pair(b.system)),
});

/** The fleet only: Onboarding Portal → Maintenance Portal, with the shipped role value map. */
export const fleetConfig: TSyncConfig = defineConfig({ entities: fleetEntities, systems: fleetSystems, bindings: fleetBindings, valueMaps: { roles: roleMap } });

export const BENCH_ENCRYPTION_KEY = process.env.BENCH_ENCRYPTION_KEY || randomBytes(32).toString("hex");

/** Connection overrides pointing every sample system at one base URL (as CONCORD_SYSTEM_<KEY>_* would). */
export function sampleOverrides(samplesUrl: string, apiKey: string, secrets: Partial<Record<string, string>> = {}): TSystemOverrides {
  return {
    dashboard: { url: `${samplesUrl}/dashboard`, auth: `Bearer ${apiKey}`, webhookSecret: secrets.dashboard },
    cms: { url: `${samplesUrl}/cms`, auth: `users API-Key ${apiKey}`, webhookSecret: secrets.cms },
    "lead-centre": { url: `${samplesUrl}/lead-centre`, auth: `Bearer ${apiKey}`, webhookSecret: secrets["lead-centre"] },
    onboarding: { url: `${samplesUrl}/onboarding`, auth: `Bearer ${apiKey}`, webhookSecret: secrets.onboarding },
    maintenance: { url: `${samplesUrl}/maintenance`, auth: `Bearer ${apiKey}`, webhookSecret: secrets.maintenance },
  };
}

/** The same, as the environment a separate Concord process (worker, next start) reads. */
export function sampleOverrideEnv(samplesUrl: string, apiKey: string): Record<string, string> {
  return {
    CONCORD_SYSTEM_DASHBOARD_URL: `${samplesUrl}/dashboard`,
    CONCORD_SYSTEM_DASHBOARD_AUTH: `Bearer ${apiKey}`,
    CONCORD_SYSTEM_CMS_URL: `${samplesUrl}/cms`,
    CONCORD_SYSTEM_CMS_AUTH: `users API-Key ${apiKey}`,
    CONCORD_SYSTEM_LEAD_CENTRE_URL: `${samplesUrl}/lead-centre`,
    CONCORD_SYSTEM_LEAD_CENTRE_AUTH: `Bearer ${apiKey}`,
  };
}

/** Counts what the engine asks of the outside world: SQL statements (by kind) and HTTP requests (by kind, with time). */
export class Meter {
  queries = 0;
  queryKinds: Record<string, number> = {};
  http: Record<string, { count: number; ms: number }> = {};
  /** Told when each request starts and ends (the propagation timeline uses it). */
  listener: ((key: string, phase: "start" | "end") => void) | null = null;

  query(text: string): void {
    this.queries++;
    const kind = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? "?";
    this.queryKinds[kind] = (this.queryKinds[kind] ?? 0) + 1;
  }

  private key(url: URL, method: string | undefined): string {
    const system = url.pathname.split("/")[1] ?? "?";
    const kind = /where|slug=|_in=/.test(url.search) ? "find" : url.searchParams.has("page") ? "list" : "item";
    return `${method ?? "GET"} ${system} ${kind}`;
  }

  /** The engine's pooled HTTP client (what production uses), timed per "METHOD system kind" (list, find, item). */
  client(inner: THttpClient): THttpClient {
    return {
      request: async (req) => {
        const key = this.key(req.url, req.method);
        const started = performance.now();
        this.listener?.(key, "start");
        try {
          return await inner.request(req);
        } finally {
          this.listener?.(key, "end");
          const m = (this.http[key] ??= { count: 0, ms: 0 });
          m.count++;
          m.ms += performance.now() - started;
        }
      },
    };
  }

  /** globalThis.fetch, timed the same way (for anything that calls engine.fetch directly). */
  fetch: typeof fetch = async (input, init) => {
    const key = this.key(new URL(input instanceof Request ? input.url : String(input)), init?.method);
    const started = performance.now();
    this.listener?.(key, "start");
    try {
      return await fetch(input, init);
    } finally {
      this.listener?.(key, "end");
      const m = (this.http[key] ??= { count: 0, ms: 0 });
      m.count++;
      m.ms += performance.now() - started;
    }
  };

  snapshot() {
    return { queries: this.queries, queryKinds: { ...this.queryKinds }, http: Object.fromEntries(Object.entries(this.http).map(([k, v]) => [k, { count: v.count, ms: Math.round(v.ms) }])) };
  }
}

export interface BenchEngine {
  engine: Engine;
  meter: Meter;
  close(): Promise<void>;
}

/**
 * Opens an engine over an (already migrated) bench database, on its own postgres-js pool (as the app's
 * client builds it) so every statement can be counted; rate limits are lifted out of the way.
 */
export async function openBenchEngine(opts: { databaseUrl: string; config: TSyncConfig; overrides: TSystemOverrides; poolMax?: number }): Promise<BenchEngine> {
  const meter = new Meter();
  const client = postgres(opts.databaseUrl, { max: opts.poolMax ?? 10, onnotice: () => {}, debug: (_conn, query) => meter.query(query) });
  const db = drizzle(preparingStatements(client), { schema }) as unknown as Db;
  const engine = createEngine({ db, driver: "postgres", encryptionKey: BENCH_ENCRYPTION_KEY, config: opts.config, overrides: opts.overrides, fetch: meter.fetch, http: meter.client(createHttpClient()) });
  await ensureSystemRows(engine);
  await engine.db.update(systems).set({ rateLimitPerSecond: 100_000 }).where(sql`true`);
  return { engine, meter, close: () => client.end({ timeout: 5 }) };
}
