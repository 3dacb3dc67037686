import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { links, runItems } from "~/server/db/schema";
import { createRun } from "~/server/services/runs/create-run";
import { executeRun } from "~/server/services/runs/execute-run";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
const dashboard = () => h.samples.system("dashboard");
const N = 60;

beforeAll(async () => {
  h = await startHarness();
  dashboard().setConfig({ webhooks: false });
  dashboard().seedSynthetic(N); // only a run can see them
  dashboard().setConfig({ webhooks: true });
});
afterAll(async () => {
  await h?.stop();
});

describe("a full run reading a system Concord writes to meanwhile", () => {
  it("reads every document of a page-numbered listing, though the run's own write-backs reorder it", async () => {
    // The Dashboard lists in (updated_at, id) order by page number. Each industry the run creates reaches
    // the CMS at once, and its CMS id is written back to the Dashboard, which moves that industry to the
    // end of the listing. Were those write-backs sent while the run still reads, later pages would shift
    // and some industries would never be read.
    dashboard().setFaults({ latencyMs: 60 });
    try {
      const r = await createRun(h.engine, { entity: "industry", system: "dashboard", kind: "full", trigger: "admin", startedBy: "test" });
      const done = await executeRun(h.engine, r.id, { pageSize: 5 });
      expect(done.status).toBe("succeeded");
      expect(done.counts).toMatchObject({ fetched: N, created: N, failed: 0 });
      const items = await h.engine.db.select().from(runItems).where(eq(runItems.runId, r.id));
      expect(new Set(items.map((i) => i.externalId)).size).toBe(N);
      await h.settle({ timeoutMs: 60_000 });
    } finally {
      dashboard().setFaults({ latencyMs: 0 });
    }
    // The write-backs went once the listing was done: every Dashboard industry holds its CMS id.
    expect(dashboard().all().filter((d) => !d.cms_id).map((d) => d.slug)).toEqual([]);
    const cmsLinks = await h.engine.db.select().from(links).where(and(eq(links.system, "cms"), eq(links.entity, "industry")));
    expect(cmsLinks).toHaveLength(N);
  }, 120_000);
});
