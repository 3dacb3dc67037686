/**
 * Postgres behind a transaction-mode pooler (PgBouncer `pool_mode = transaction`, Supabase's and Neon's
 * poolers) lends a server connection for one transaction at a time. Concord relies on no session state
 * there: statements are not prepared by name (`prepare: false`), LISTEN goes to a direct connection when
 * one is given and is otherwise not used (wake-ups come by polling), and migrations run on the direct
 * connection when one is given (drizzle's migrator is plain statements in one transaction, so it also
 * works through the pooler).
 */

export interface TPgTargetOptions {
  /** The URL Concord's traffic goes to (DATABASE_URL). */
  url: string;
  /** DATABASE_POOLED: true/false decides; unset = guessed from the URL (`isPooledUrl`). */
  pooled?: boolean;
  /** DATABASE_URL_UNPOOLED: a direct connection to the same database, for migrations and LISTEN. */
  unpooledUrl?: string | null;
}

export interface TPgTarget {
  /** The traffic URL without Concord's hint (postgres-js would send an unknown query parameter to the server). */
  url: string;
  /** Behind a transaction-mode pooler: no named prepared statements, no LISTEN, no session state. */
  pooled: boolean;
  /** Where session features (LISTEN, migrations) work: the unpooled URL, or `url` itself when not pooled; null when none. */
  directUrl: string | null;
}

/** Supabase's transaction pooler (Supavisor) listens on 6543; its 5432 is session mode. */
const POOLER_PORTS = new Set(["6543"]);

/**
 * What a URL says of itself: `pgbouncer=true` (the query flag Prisma and Supabase use), port 6543
 * (Supabase's transaction pooler) or a host label ending in `-pooler` (Neon: `ep-…-pooler.….neon.tech`).
 */
export function isPooledUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.searchParams.get("pgbouncer") === "true") return true;
  if (POOLER_PORTS.has(u.port)) return true;
  return u.hostname.split(".").some((label) => label.endsWith("-pooler"));
}

/** Removes Concord's `pgbouncer` hint, which the server would refuse as an unknown startup parameter. */
export function withoutPoolerHint(url: string): string {
  const u = new URL(url);
  if (!u.searchParams.has("pgbouncer")) return url;
  u.searchParams.delete("pgbouncer");
  return u.toString();
}

export function resolvePgTarget(opts: TPgTargetOptions): TPgTarget {
  const pooled = opts.pooled ?? isPooledUrl(opts.url);
  const url = withoutPoolerHint(opts.url);
  const unpooled = opts.unpooledUrl ? withoutPoolerHint(opts.unpooledUrl) : null;
  return { url, pooled, directUrl: unpooled ?? (pooled ? null : url) };
}

/**
 * Options for a postgres-js client of this target. Pooled: no named prepared statements, and no pipelining.
 * Without `prepare`, postgres-js sends a parameterised query as Parse/Describe/Flush and waits for the types
 * before Bind/Execute/Sync; pipelined behind another query, that query's ReadyForQuery makes PgBouncer 1.18
 * hand the server connection back to the pool while the Describe's answer is still coming: the answer is
 * dropped and the query waits forever. Such a client cannot run `begin` (postgres-js reserves the
 * connection for a transaction only when it may pipeline): `openDb` gives transactions a client of their own.
 */
export function pgClientOptions(target: Pick<TPgTarget, "pooled">): { prepare: boolean; max_pipeline?: number; onnotice: () => void } {
  return target.pooled ? { prepare: false, max_pipeline: 0, onnotice: () => {} } : { prepare: true, onnotice: () => {} };
}

/** How often the live-event feed reads `engine_events` when no LISTEN tells it of new rows (pooled, no direct URL). */
export const POLL_WITHOUT_LISTEN_MS = 500;
