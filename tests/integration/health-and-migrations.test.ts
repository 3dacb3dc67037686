import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDb, queryRows } from "~/server/db/client";
import { checkHealth } from "~/server/services/check-health";
import { createTestDb, testDriver } from "../helpers/db";

const TABLES = ["audit_log", "rate_limits", "users"];

describe("migrations", () => {
  it(`apply to a new, empty ${testDriver === "postgres" ? "Postgres database" : "PGlite folder on disk"} and are idempotent`, async () => {
    if (testDriver === "postgres") {
      const t = await createTestDb();
      try {
        await t.migrate(); // a second time changes nothing
        const rows = await queryRows<{ table_name: string }>(t.db, sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`);
        expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(TABLES));
      } finally {
        await t.destroy();
      }
      return;
    }
    const dir = mkdtempSync(path.join(tmpdir(), "concord-mig-"));
    const folder = path.join(dir, "nested", "pglite"); // parent folders do not exist yet
    try {
      const first = await openDb({ pgliteDir: folder });
      await first.migrate();
      await first.close();
      const again = await openDb({ pgliteDir: folder });
      await again.migrate();
      const rows = await queryRows<{ table_name: string }>(again.db, sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`);
      expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(TABLES));
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a second opener of the same PGlite folder with a clear message", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "concord-lock-"));
    const folder = path.join(dir, "pglite");
    const fakeOtherProcess = path.join(dir, "pglite.pid");
    try {
      const { writeFileSync } = await import("node:fs");
      writeFileSync(fakeOtherProcess, String(process.ppid)); // a live process that is not us
      await expect(openDb({ pgliteDir: folder })).rejects.toThrow(/in use by process \d+/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("health", () => {
  it("reports ok and the driver in use", async () => {
    const t = await createTestDb();
    try {
      expect(await checkHealth(async () => t, testDriver)).toEqual({ status: "ok", db: testDriver });
    } finally {
      await t.destroy();
    }
  });

  it("reports what is down, without details", async () => {
    const health = await checkHealth(() => Promise.reject(new Error("connect ECONNREFUSED 10.0.0.1:5432 password=hunter2")), "postgres");
    expect(health).toEqual({ status: "error", db: "postgres", down: ["database"] });
  });
});
