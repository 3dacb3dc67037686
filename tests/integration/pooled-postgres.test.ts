import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { listenerFor, queryRows } from "~/server/db";
import { openDb, type DbHandle } from "~/server/db/client";
import { webhookEvents } from "~/server/db/schema";
import { EngineBus } from "~/server/engine/bus";
import { silentLogger } from "~/server/engine/context";
import { bridgeOverPostgres } from "~/server/engine/pg-bridge";
import { Worker } from "~/server/engine/worker";
import { TEST_DATABASE_URL, TEST_POOLED_DATABASE_URL } from "../helpers/db";
import { createTestEngine } from "../helpers/engine";
import { startHarness, type Harness } from "../helpers/harness";
import { waitFor } from "../helpers/worker-process";

/**
 * Through PgBouncer in transaction mode (TEST_POOLED_DATABASE_URL, started by scripts/pgbouncer.sh): the
 * migrations run through the pooler, and with no unpooled URL nothing LISTENs, yet a webhook stored by one
 * engine is applied and delivered by another engine's worker within a bounded poll.
 */

describe("pooled Postgres (PgBouncer, transaction mode)", () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c().catch(() => undefined);
  });

  it("migrates a fresh database through the pooler, with no direct URL", async () => {
    const name = `concord_t_${randomBytes(6).toString("hex")}`;
    const admin = postgres(TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    cleanup.push(async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    });
    const url = new URL(TEST_POOLED_DATABASE_URL!);
    url.pathname = `/${name}`;
    const handle = await openDb({ databaseUrl: url.toString(), pooled: true, max: 2 });
    cleanup.push(() => handle.close());
    expect(handle.pooled).toBe(true);
    expect(listenerFor(handle.db)).toBeNull(); // LISTEN never goes through the pooler
    await handle.migrate();
    await handle.migrate(); // again: nothing to do, no session state assumed
    const [row] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(row!.n).toBeGreaterThan(0);
  });

  it("a webhook stored by one engine is applied and delivered by another's worker by polling, no LISTEN", async () => {
    // Engine A: the intake, no worker. Engine B: a worker on its own pool, both on the pooled URL only.
    const h: Harness = await startHarness({ worker: false });
    cleanup.push(() => h.stop());
    expect(h.t.url).toContain("pgbouncer=true");
    const other: DbHandle = await openDb({ databaseUrl: h.t.url!, max: 4 }); // pooled by the URL's hint alone
    cleanup.push(() => other.close());
    expect(other.pooled).toBe(true);
    expect(listenerFor(other.db)).toBeNull();
    const b = await createTestEngine({ ...h.t, ...other }, { overrides: h.engine.overrides });
    // Both bridges as `npm start` / `npm run worker` would make them: NOTIFY only, nothing listens.
    const heard: unknown[] = [];
    const bus = new EngineBus();
    bus.on((e) => heard.push(e));
    cleanup.push(await bridgeOverPostgres(h.engine.bus, h.t.url!, silentLogger), await bridgeOverPostgres(bus, h.t.url!, silentLogger));
    const worker = new Worker(b, { concurrency: 4 }); // the default idle poll: a second
    worker.start();
    cleanup.push(() => worker.stop());

    h.samples.system("dashboard").create({ name: "Pooled Co", slug: "pooled-co", description: "Through PgBouncer.", is_active: true });
    await waitFor(async () => (await h.engine.db.select({ id: webhookEvents.id }).from(webhookEvents)).length > 0, 5_000, "the webhook to be stored by A");
    await waitFor(() => h.samples.system("cms").all().some((d) => d.slug === "pooled-co"), 5_000, "B's worker to apply it and deliver to the CMS");
    await waitFor(() => h.samples.system("dashboard").all().some((d) => d.slug === "pooled-co" && d.cms_id), 5_000, "the cms_id write-back");
    // A listener on the direct URL is the sentinel: once it hears A's wake-up, the NOTIFY went out, and a
    // bridge listening through the pooler would have heard it by then too.
    const direct: unknown[] = [];
    const sentinel = new EngineBus();
    sentinel.on((e) => direct.push(e));
    cleanup.push(await bridgeOverPostgres(sentinel, h.t.url!, silentLogger, { unpooledUrl: h.t.unpooledUrl }));
    h.engine.bus.wake({ inbox: true });
    await waitFor(() => direct.some((e) => (e as { type: string; inbox?: boolean }).type === "wake" && (e as { inbox?: boolean }).inbox === true), 5_000, "the sentinel to hear the wake-up");
    expect(heard).toEqual([]); // A's wake-up was sent (NOTIFY) but nobody LISTENs through the pooler
    const [claimed] = await queryRows<{ by: string | null }>(h.engine.db, sql`select max(claimed_by) as by from deliveries`);
    expect(claimed!.by).toBe(b.workerId);
  });
});
