import { createEnv } from "@t3-oss/env-nextjs";
import { z } from "zod";
import { parseAllowedHosts } from "~/sync/connectors/allowed-hosts";

/** The development defaults below, and values that are plainly placeholders: refused wherever they are set. */
const DEV_AUTH_SECRET = "concord-development-only-secret-do-not-use-in-production";
const DEV_ENCRYPTION_KEY = "0".repeat(64);
function isKnownExample(value: string): boolean {
  if (value === DEV_AUTH_SECRET || value === DEV_ENCRYPTION_KEY) return true;
  if (/change[-_ ]?me|replace[-_ ]?me|your[-_ ]?(own[-_ ]?)?(secret|key)|do[-_ ]?not[-_ ]?use|development[-_ ]only|^x+$/i.test(value)) return true;
  // One character repeated (a key of zeros, "aaaa…="): no secret at all.
  return /^(.)\1*=?$/.test(value) || /^(?:00|ff|AA)+$/i.test(value);
}

/**
 * Every environment variable Concord reads, declared once. Nothing else reads `process.env`.
 * A bad value stops start-up with one message naming the variable and what it wants.
 */
const raw = createEnv({
  server: {
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    PORT: z.coerce.number({ error: "a port number" }).int("a whole port number").min(1).max(65535).default(3000),
    DATABASE_URL: z
      .url({ error: "a postgres:// connection URL" })
      .refine((v) => /^postgres(ql)?:\/\//.test(v), "a postgres:// connection URL")
      .optional(),
    /** Behind a transaction-mode pooler (PgBouncer, Supabase, Neon): true/false; unset = guessed from DATABASE_URL. */
    DATABASE_POOLED: z
      .enum(["true", "false"], { error: "true or false" })
      .optional()
      .transform((v) => (v === undefined ? undefined : v === "true")),
    /** A direct (unpooled) URL to the same database, for migrations and LISTEN when DATABASE_URL is pooled. */
    DATABASE_URL_UNPOOLED: z
      .url({ error: "a postgres:// connection URL" })
      .refine((v) => /^postgres(ql)?:\/\//.test(v), "a postgres:// connection URL")
      .optional(),
    PGLITE_DIR: z.string().min(1).default(".data/pglite"),
    AUTH_SECRET: z
      .string()
      .min(32, "at least 32 characters (try: openssl rand -base64 32)")
      .refine((v) => !isKnownExample(v), "a secret of your own, not an example or default value (try: openssl rand -base64 32)")
      .optional(),
    SESSION_MAX_AGE_HOURS: z.coerce.number({ error: "a number of hours" }).positive().max(24 * 30).default(8),
    ADMIN_EMAIL: z.email({ error: "an email address" }).optional(),
    ADMIN_PASSWORD: z.string().min(8, "at least 8 characters").optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    CONCORD_ENCRYPTION_KEY: z
      .string()
      .regex(/^(?:[A-Za-z0-9+/]{43}=|[0-9a-fA-F]{64})$/, "32 bytes as base64 or 64 hex characters (try: openssl rand -base64 32)")
      .refine((v) => !isKnownExample(v), "a key of your own, not an example or default value (try: openssl rand -base64 32)")
      .optional(),
    NEXT_PHASE: z.string().optional(),
    /** For the CLI: call the running Concord at this address instead of opening the database. */
    CONCORD_URL: z.url({ error: "an http(s) URL" }).optional(),
    /** For the CLI in remote mode: an API key (ck_…). */
    CONCORD_API_KEY: z.string().startsWith("ck_", "an API key starting with ck_").optional(),
    WEBHOOK_MAX_BYTES: z.coerce.number({ error: "a number of bytes" }).int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
    WEBHOOK_RATE_PER_SECOND: z.coerce.number({ error: "a number of requests per second" }).positive().default(500),
    WORKER_CONCURRENCY: z.coerce.number({ error: "a whole number" }).int().min(1).max(256).default(16),
    // Renewed every third while held: shorter would expire under an ordinary pause (GC, a slow commit) and let a
    // second worker take work the first is still doing; longer only delays a dead worker's work coming back.
    WORKER_LEASE_MS: z.coerce.number({ error: "a number of milliseconds" }).int().min(2_000, "at least 2000 (2 s)").max(3_600_000).default(15_000),
    RUN_WORKERS: z.enum(["true", "false"], { error: "true or false" }).default("true"),
    /** `next start` behaves as a serverless host: no in-process worker, tick or run keeper; background work only through after(), within CRON_BUDGET_MS. */
    CONCORD_SERVERLESS: z
      .enum(["true", "false"], { error: "true or false" })
      .default("false")
      .transform((v) => v === "true"),
    /** How long a tick (and a request's after() work on a serverless host) may work: keep it under the function's maxDuration. */
    CRON_BUDGET_MS: z.coerce.number({ error: "a number of milliseconds" }).int().min(1_000, "at least 1000 (1 s)").max(3_600_000).default(50_000),
    /** A run whose process stops renewing its lease for this long is continued by another. */
    RUN_LEASE_MS: z.coerce.number({ error: "a number of milliseconds" }).int().min(1_000, "at least 1000 (1 s)").max(3_600_000).default(30_000),
    CRON_SECRET: z.string().min(16, "at least 16 characters (try: openssl rand -base64 32)").optional(),
    RUN_HISTORY_DAYS: z.coerce.number({ error: "a number of days" }).int().min(1).max(3650).default(30),
    WEBHOOK_RETENTION_DAYS: z.coerce.number({ error: "a number of days" }).int().min(1).max(3650).default(7),
    TOMBSTONE_DAYS: z.coerce.number({ error: "a number of days" }).int().min(1).max(3650).default(30),
    /** Comma-separated hosts (`host`, `host:port`, `*.domain`) system URLs may point at; unset = any http(s) host. */
    CONCORD_ALLOWED_HOSTS: z.string().optional(),
    METRICS_TOKEN: z.string().min(16, "at least 16 characters (try: openssl rand -base64 32)").optional(),
  },
  client: {},
  experimental__runtimeEnv: {},
  emptyStringAsUndefined: true,
  onValidationError: (issues) => {
    const lines = issues.map((issue) => {
      const key = issue.path?.map((p) => (typeof p === "object" ? p.key : p)).join(".") ?? "?";
      return `  ${String(key)}: must be ${issue.message}`;
    });
    throw new Error(`Invalid environment variable${lines.length > 1 ? "s" : ""}:\n${lines.join("\n")}`);
  },
});

/**
 * Per-system connection overrides for deployments: CONCORD_SYSTEM_<KEY>_URL, _AUTH (the whole
 * Authorization header value) and _WEBHOOK_SECRET. <KEY> is the system key upper-cased, "-" as "_".
 */
function readSystemOverrides(): Record<string, { url?: string; auth?: string; webhookSecret?: string }> {
  const out: Record<string, { url?: string; auth?: string; webhookSecret?: string }> = {};
  const problems: string[] = [];
  for (const [name, value] of Object.entries(process.env)) {
    const m = /^CONCORD_SYSTEM_([A-Z0-9_]+)_(URL|AUTH|WEBHOOK_SECRET)$/.exec(name);
    if (!m || !value) continue;
    const key = m[1]!.toLowerCase().replace(/_/g, "-");
    const entry = (out[key] ??= {});
    if (m[2] === "URL") {
      if (!/^https?:\/\/[^\s]+$/.test(value)) problems.push(`  ${name}: must be an http(s) URL`);
      entry.url = value.replace(/\/+$/, "");
    } else if (m[2] === "AUTH") entry.auth = value;
    else entry.webhookSecret = value;
  }
  if (problems.length) throw new Error(`Invalid environment variable${problems.length > 1 ? "s" : ""}:\n${problems.join("\n")}`);
  return out;
}

const isProduction = raw.NODE_ENV === "production";
const isBuild = raw.NEXT_PHASE === "phase-production-build";
const warned = new Set<string>();

/**
 * Development defaults are allowed only on embedded PGlite outside production (the demo, `next dev`, trying
 * the CLI), with a warning; production, and any process on Postgres (`DATABASE_URL`: a worker or the CLI run
 * through tsx with NODE_ENV unset), refuses to start without the real value.
 */
function secretOrDevDefault(name: string, value: string | undefined, devDefault: string): string {
  if (value) return value;
  if (isProduction && !isBuild) {
    throw new Error(`Invalid environment variable:\n  ${name}: must be set in production (no development default is used there)`);
  }
  if (raw.DATABASE_URL && !isBuild) {
    throw new Error(
      `Invalid environment variable:\n  ${name}: must be set when DATABASE_URL is set (a development default is used only on embedded PGlite outside production; try: openssl rand -base64 32)`,
    );
  }
  if (!warned.has(name) && !isBuild) {
    warned.add(name);
    console.warn(`[concord] ${name} is not set: using an insecure development default. Set it before going live.`);
  }
  return devDefault;
}

export const env = {
  ...raw,
  systemOverrides: readSystemOverrides(),
  allowedHosts: parseAllowedHosts(raw.CONCORD_ALLOWED_HOSTS),
  get AUTH_SECRET(): string {
    return secretOrDevDefault("AUTH_SECRET", raw.AUTH_SECRET, DEV_AUTH_SECRET);
  },
  get CONCORD_ENCRYPTION_KEY(): string {
    return secretOrDevDefault("CONCORD_ENCRYPTION_KEY", raw.CONCORD_ENCRYPTION_KEY, DEV_ENCRYPTION_KEY);
  },
  /** For `npm run worker` and the CLI on the database: the encryption key (they sign no sessions). */
  assertReadyToWork(): void {
    void this.CONCORD_ENCRYPTION_KEY;
  },
  /** Checks at start-up that production has every secret it needs, so a missing one fails fast. */
  assertReadyToServe(): void {
    void this.AUTH_SECRET;
    void this.CONCORD_ENCRYPTION_KEY;
    if (!!raw.ADMIN_EMAIL !== !!raw.ADMIN_PASSWORD) {
      throw new Error("Invalid environment variables:\n  ADMIN_EMAIL and ADMIN_PASSWORD: must be set together");
    }
  },
};

export type Env = typeof env;
