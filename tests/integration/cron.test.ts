import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runs, schedules } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { isCronAuthorized } from "~/server/services/schedules/cron-auth";
import { createTestDb, TEST_DATABASE_URL, type TestDb } from "../helpers/db";

const SECRET = "cron-secret-for-the-tests-0123456789";
let t: TestDb | null = null;
let GET: (req: Request, ctx: unknown) => Promise<Response> | Response;
let engine: Engine;
let closeDb: () => Promise<void>;
const saved = { ...process.env };

beforeAll(async () => {
  // The route reads its configuration (and opens its database) through ~/env: set it before loading it.
  if (TEST_DATABASE_URL) t = await createTestDb();
  process.env.DATABASE_URL = t?.url ?? "";
  process.env.PGLITE_DIR = "memory://";
  process.env.CRON_SECRET = SECRET;
  process.env.LOG_LEVEL = "silent";
  // On Postgres a process refuses to start without its encryption key (no development default there).
  process.env.CONCORD_ENCRYPTION_KEY = randomBytes(32).toString("hex");
  ({ GET } = (await import("~/app/api/cron/tick/route")) as unknown as { GET: typeof GET });
  engine = await (await import("~/server/engine")).getEngine();
  ({ closeDb } = await import("~/server/db"));
  const past = new Date(Date.now() - 60_000);
  await engine.db.insert(schedules).values({ entity: "industry", system: "cms", cron: "0 0 1 1 *", kind: "full", enabled: true, nextRunAt: past });
}, 120_000);
afterAll(async () => {
  await closeDb?.();
  await t?.destroy();
  process.env = saved;
});

const call = (authorization?: string) => GET(new Request("http://concord.test/api/cron/tick", { headers: authorization ? { authorization } : {} }), {});
const nothingStarted = async () => {
  expect(await engine.db.select().from(runs)).toHaveLength(0);
  const [s] = await engine.db.select().from(schedules).where(and(eq(schedules.entity, "industry"), eq(schedules.system, "cms")));
  expect(s!.lastRunAt).toBeNull();
};

describe("GET /api/cron/tick", () => {
  it("answers 401 and starts nothing without the secret, with a wrong one, or with another scheme", async () => {
    for (const header of [undefined, "Bearer wrong", `Bearer ${SECRET.slice(0, -1)}x`, `Bearer ${SECRET}-and-more`, `Basic ${SECRET}`, SECRET, "Bearer "]) {
      const res = await call(header);
      expect([header, res.status]).toEqual([header, 401]);
      expect(await res.json()).toEqual({ error: { code: "UNAUTHORIZED", message: "Missing or wrong cron secret." } });
    }
    await nothingStarted();
  });

  it("with the secret, runs the tick and answers its summary", async () => {
    const res = await call(`Bearer ${SECRET}`);
    expect(res.status).toBe(200);
    const summary = (await res.json()) as { started: { system: string; runId: string }[]; skipped: unknown[] };
    expect(summary.started).toMatchObject([{ system: "cms" }]);
    const [run] = await engine.db.select().from(runs).where(eq(runs.id, summary.started[0]!.runId));
    expect(run).toMatchObject({ trigger: "schedule", kind: "full" });
    expect((await call(`Bearer ${SECRET}`)).status).toBe(200); // not due again before next January
    expect(await engine.db.select().from(runs)).toHaveLength(1);
  }, 120_000);

  it("trusts nobody when no secret is configured", () => {
    expect(isCronAuthorized(`Bearer ${SECRET}`, undefined)).toBe(false);
    expect(isCronAuthorized("Bearer ", "")).toBe(false);
    expect(isCronAuthorized("bearer  " + SECRET + " ", SECRET)).toBe(true);
  });
});
