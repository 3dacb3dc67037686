import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { postgresAdapter } from "@payloadcms/db-postgres";
import { sqliteAdapter } from "@payloadcms/db-sqlite";
import postgres from "postgres";
import { buildConfig, getPayload, handleEndpoints, type CollectionConfig, type Payload, type Plugin, type SanitizedConfig } from "payload";

/**
 * A real Payload 3 (the version in package.json) with the SQLite adapter in a temp folder (or the
 * Postgres adapter on a fresh database of TEST_DATABASE_URL's server), run through
 * its Local API — and, with `serve`, its REST API: Payload's own `handleEndpoints` (what
 * @payloadcms/next's REST routes call) mounted on a plain Node HTTP server.
 */
export interface RealPayload {
  payload: Payload;
  config: SanitizedConfig;
  /** `http://127.0.0.1:<port>` when served; Payload's REST API is under `/api`. */
  url: string;
  /** An API key of the `users` collection: `Authorization: users API-Key <apiKey>`. */
  apiKey: string;
  stop(): Promise<void>;
}

export interface RealPayloadOptions {
  /** Payload's database adapter. Default "sqlite"; "postgres" needs TEST_DATABASE_URL. */
  adapter?: "sqlite" | "postgres";
  plugins?: Plugin[];
  /** Database transactions for writes (SQLite's are off unless `transactionOptions` is given; Postgres's are on). Default true. */
  transactions?: boolean;
  /** Serve the REST API over HTTP. */
  serve?: boolean;
  /** Extra hooks on `industries`, e.g. an `afterOperation` that throws to roll a write back. */
  industryHooks?: CollectionConfig["hooks"];
}

/** The seed's CMS industry: the common fields plus the CMS's own `seoTitle`. */
export const industriesCollection = (hooks?: CollectionConfig["hooks"]): CollectionConfig => ({
  slug: "industries",
  admin: { useAsTitle: "name" },
  access: { read: ({ req }) => Boolean(req.user), create: ({ req }) => Boolean(req.user), update: ({ req }) => Boolean(req.user), delete: ({ req }) => Boolean(req.user) },
  fields: [
    { name: "name", type: "text", required: true },
    { name: "slug", type: "text", required: true, unique: true, index: true },
    { name: "description", type: "textarea" },
    { name: "active", type: "checkbox", defaultValue: true },
    { name: "seoTitle", type: "text" },
  ],
  hooks,
});

// Each instance has a fresh database: push its schema even when an earlier instance in this process had the same one.
process.env.PAYLOAD_FORCE_DRIZZLE_PUSH = "true";

let instances = 0;

export async function startPayload(o: RealPayloadOptions = {}): Promise<RealPayload> {
  const dir = mkdtempSync(path.join(tmpdir(), "concord-payload-"));
  const key = `concord-test-${process.pid}-${++instances}`;
  const pg = o.adapter === "postgres" ? await createPayloadDatabase() : null;
  const config = await buildConfig({
    secret: randomBytes(24).toString("hex"),
    telemetry: false,
    typescript: { autoGenerate: false },
    admin: { user: "users", importMap: { autoGenerate: false } },
    logger: { options: { level: process.env.PAYLOAD_LOG_LEVEL ?? "warn" } },
    collections: [{ slug: "users", auth: { useAPIKey: true }, fields: [] }, industriesCollection(o.industryHooks)],
    db: pg
      ? postgresAdapter({ pool: { connectionString: pg.url }, ...(o.transactions === false ? { transactionOptions: false } : {}) })
      : sqliteAdapter({
          client: { url: `file:${path.join(dir, "payload.db")}` },
          // Ids are never reused after a delete (Concord keys links on them).
          autoIncrement: true,
          ...(o.transactions === false ? {} : { transactionOptions: {} }),
        }),
    plugins: o.plugins ?? [],
  });
  const payload = await getPayload({ config, key });
  const apiKey = randomBytes(24).toString("hex");
  await payload.create({ collection: "users", data: { email: "concord@example.com", password: randomBytes(12).toString("hex"), enableAPIKey: true, apiKey } as never });

  let server: Server | null = null;
  let url = "";
  if (o.serve) {
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = chunks.length && req.method !== "GET" && req.method !== "HEAD" ? Buffer.concat(chunks) : undefined;
      const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body });
      try {
        const response = await handleEndpoints({ config, request, payloadInstanceCacheKey: key });
        res.writeHead(response.status, Object.fromEntries(response.headers)).end(Buffer.from(await response.arrayBuffer()));
      } catch (err) {
        res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ message: String(err) }] }));
      }
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  return {
    payload,
    config,
    url,
    apiKey,
    async stop() {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      // Payload's destroy() leaves the adapter's connections open (and one checked out, so pool.end() would
      // wait forever): close SQLite's client; Postgres's connections end when the database is dropped.
      const db = payload.db as unknown as { pool?: { on(event: "error", fn: () => void): void }; client?: { close(): void } };
      db.pool?.on("error", () => undefined);
      await payload.destroy().catch(() => undefined);
      try {
        db.client?.close();
      } catch {
        // already closed
      }
      (globalThis as { _payload?: Map<string, unknown> })._payload?.delete(key);
      rmSync(dir, { recursive: true, force: true });
      await pg?.drop();
    },
  };
}

/** A fresh database on TEST_DATABASE_URL's (local) server for one Payload. */
async function createPayloadDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error("Payload on Postgres needs TEST_DATABASE_URL");
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(new URL(base).hostname)) throw new Error("Refusing a non-local database for tests.");
  const name = `payload_t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const sql = postgres(base, { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists ${name} with (force)`);
      await sql.end();
    },
  };
}
