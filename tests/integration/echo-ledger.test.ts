import { and, eq, isNotNull, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { changes, conflicts, deliveries, links, records } from "~/server/db/schema";
import { applyChange } from "~/server/services/ingest/apply-change";
import type { TObservedChange } from "~/server/services/ingest/types";
import { runTick } from "~/server/services/schedules/run-tick";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

/** Applies one observed change as a webhook event would, in its own transaction. */
async function observe(harness: Harness, change: Omit<TObservedChange, "entity" | "eventTime">) {
  return harness.engine.db.transaction((tx) => applyChange(tx, harness.engine.config, { entity: "industry", eventTime: null, ...change }, harness.engine.now()));
}

describe("a late echo of Concord's own write (issue 11's lost update)", () => {
  it("never overwrites a newer edit, even when its system applied Concord's copy after that edit was made", async () => {
    h = await startHarness();
    const dashboard = h.samples.system("dashboard");
    const cms = h.samples.system("cms");
    const created = dashboard.create({ name: "Industry 2-9", slug: "i-2-9", description: "d", is_active: true });
    await h.settle();
    // What the CMS said when Concord created the industry there: the echo that will arrive late.
    const echo: Record<string, unknown> = structuredClone({ ...cms.all().find((d) => d.slug === "i-2-9")! });
    const [record] = await h.engine.db.select().from(records).where(eq(records.naturalKey, "i-2-9"));
    const createdAt = Date.parse(record!.stamps.name!.at);
    const cmsAppliedAt = Date.parse(String(echo.updatedAt));
    expect(cmsAppliedAt).toBeGreaterThan(createdAt);
    // Two Dashboard renames made before the CMS applied that create, whose webhooks lagged behind it.
    const at = (share: number) => new Date(createdAt + Math.max(1, Math.floor((cmsAppliedAt - createdAt) * share))).toISOString();
    const dashboardDoc = (name: string, updatedAt: string) => ({ ...dashboard.all().find((d) => d.id === created.id)!, name, updatedAt });

    await h.worker!.stop();
    expect((await observe(h, { system: "dashboard", kind: "update", externalId: String(created.id), doc: dashboardDoc("e13", at(1 / 3)) })).outcome).toBe("applied");
    h.worker!.start();
    await h.settle(); // Concord writes e13 to the CMS, and that write's echo comes back
    expect(cms.all().find((d) => d.slug === "i-2-9")!.name).toBe("e13");
    await h.worker!.stop();
    expect((await observe(h, { system: "dashboard", kind: "update", externalId: String(created.id), doc: dashboardDoc("e17", at(2 / 3)) })).outcome).toBe("applied");

    // Only now does the CMS's echo of the create arrive: its time (when the CMS applied Concord's old copy)
    // is later than the e17 edit, so taken as a CMS edit it would win last-write-wins everywhere.
    const late = await observe(h, { system: "cms", kind: "update", externalId: String(echo.id), doc: echo });
    expect(late.outcome).toBe("echo");
    h.worker!.start();
    await h.settle();

    const [after] = await h.engine.db.select().from(records).where(eq(records.id, record!.id));
    expect(after!.data.name).toBe("e17");
    expect(cms.all().find((d) => d.slug === "i-2-9")!.name).toBe("e17");
    expect(h.samples.system("lead-centre").all().find((d) => d.slug === "i-2-9")!.title).toBe("e17");
    const won = await h.engine.db.select().from(conflicts).where(and(eq(conflicts.recordId, record!.id), eq(conflicts.resolution, "theirs")));
    expect(won).toEqual([]);
    const echoes = await h.engine.db.select().from(changes).where(and(eq(changes.recordId, record!.id), eq(changes.system, "cms"), eq(changes.outcome, "echo")));
    expect(echoes.length).toBeGreaterThan(0);
  });

  it("the CMS's own later edit still wins, and a value the CMS sets back after Concord's answered writes is an edit", async () => {
    h = await startHarness();
    const dashboard = h.samples.system("dashboard");
    const cms = h.samples.system("cms");
    dashboard.create({ name: "First", slug: "back", description: "d", is_active: true });
    await h.settle();
    const doc = () => cms.all().find((d) => d.slug === "back")!;
    dashboard.update(dashboard.all().find((d) => d.slug === "back")!.id, { name: "Second" });
    await h.settle();
    expect(doc().name).toBe("Second");
    const [link] = await h.engine.db.select().from(links).where(and(eq(links.system, "cms"), eq(links.externalId, String(doc().id))));
    expect(link!.seenAt).not.toBeNull();
    cms.update(doc().id, { name: "First" }); // a CMS user sets the old name back: Concord had written it there
    await h.settle();
    expect(dashboard.all().find((d) => d.slug === "back")!.name).toBe("First");
  });
});

describe("the ledger keeps what was sent no longer than it can matter", () => {
  it("the tick forgets sends older than a day", async () => {
    h = await startHarness();
    h.samples.system("dashboard").create({ name: "Kept", slug: "kept", description: "d", is_active: true });
    await h.settle();
    const sent = () => h!.engine.db.select({ id: deliveries.id, sent: deliveries.sent }).from(deliveries).where(isNotNull(deliveries.sent));
    const rows = await sent();
    expect(rows.length).toBeGreaterThan(0);
    const [old] = rows;
    await h.engine.db.update(deliveries).set({ createdAt: sql`now() - interval '25 hours'` }).where(eq(deliveries.id, old!.id));
    await runTick({ engine: h.engine, budgetMs: 2_000, drain: false });
    expect((await sent()).map((r) => r.id)).toEqual(rows.slice(1).map((r) => r.id));
  });
});
