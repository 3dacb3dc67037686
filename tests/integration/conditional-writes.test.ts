// An edit whose webhook never reaches Concord is not overwritten by Concord's copy of an older edit
// (issue #11, "dropped and overwritten"; lessons.md "Lost updates"). Concord's updates carry If-Match with
// the version it last saw; the sample Dashboard refuses a write over a newer version with 412, and Concord
// takes the edit in and merges it by the times of the edits before it writes again.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { queryRows } from "~/server/db";
import { startHarness, type Harness } from "../helpers/harness";
import { until, untilRows } from "../helpers/poll";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(async () => {
  dashboard().setFaults({ latencyMs: 0 });
  dashboard().setWebhookFaults({ drop: 0 });
  await h.settle();
});

const dashboard = () => h.samples.system("dashboard");
const cms = () => h.samples.system("cms");
const dashDoc = (slug: string) => dashboard().all().find((d) => d.slug === slug);
const cmsDoc = (slug: string) => cms().all().find((d) => d.slug === slug);

/** An industry in both systems, agreed. */
async function agreed(slug: string, name: string) {
  const doc = dashboard().create({ name, slug, description: "", is_active: true });
  await until("the CMS copy", () => cmsDoc(slug) !== undefined);
  await h.settle();
  return { dash: doc, cms: cmsDoc(slug)! };
}

/**
 * A CMS edit reaches Concord, whose copy of it to the Dashboard is slowed (1.5 s before the Dashboard reads
 * it); meanwhile someone edits the Dashboard and its webhook is dropped. Returns what each side holds at the end.
 */
async function race(slug: string, order: "dashboard-later" | "dashboard-earlier") {
  const { dash, cms: cmsCopy } = await agreed(slug, `Industry ${slug}`);
  dashboard().setWebhookFaults({ drop: 1 });
  if (order === "dashboard-earlier") dashboard().update(dash.id, { name: "dashboard edit" });
  dashboard().setFaults({ latencyMs: 1_500 });
  cms().update(cmsCopy.id, { name: "cms edit" });
  await untilRows(h.t.db, "Concord's copy of the CMS edit on its way to the Dashboard", sql`select 1 from deliveries d join records r on r.id = d.record_id
    where r.natural_key = ${slug} and r.data->>'name' = 'cms edit' and d.system = 'dashboard' and d.status = 'in_flight'`);
  if (order === "dashboard-later") dashboard().update(dash.id, { name: "dashboard edit" });
  await h.settle({ timeoutMs: 20_000 });
  dashboard().setFaults({ latencyMs: 0 });
  await h.settle({ timeoutMs: 20_000 });
  const [record] = await queryRows<{ id: string; data: { name: string } }>(h.t.db, sql`select id, data from records where natural_key = ${slug}`);
  const conflicts = await queryRows<{ field: string; theirs: unknown; ours: unknown; resolution: string | null }>(
    h.t.db,
    sql`select field, theirs, ours, resolution from conflicts where record_id = ${record!.id} and field = 'name'`,
  );
  const refused = await queryRows(h.t.db, sql`select 1 from delivery_attempts a join deliveries d on d.id = a.delivery_id where d.record_id = ${record!.id} and a.status_code = 412`);
  return { held: { dashboard: dashDoc(slug)!.name, cms: cmsDoc(slug)!.name, concord: record!.data.name }, conflicts, refused: refused.length };
}

describe("an edit whose webhook was dropped", () => {
  it("is not overwritten by Concord's copy of an older edit from the other system: it is taken in and wins", async () => {
    const end = await race("dropped-later", "dashboard-later");
    expect(end.held, JSON.stringify(end, null, 1)).toEqual({ dashboard: "dashboard edit", cms: "dashboard edit", concord: "dashboard edit" });
    expect(end.refused, "the Dashboard refused the write over its newer version").toBeGreaterThan(0);
  });

  it("made before the other system's edit, loses by time — recorded as a conflict, not silently overwritten", async () => {
    const end = await race("dropped-earlier", "dashboard-earlier");
    expect(end.held, JSON.stringify(end, null, 1)).toEqual({ dashboard: "cms edit", cms: "cms edit", concord: "cms edit" });
    expect(end.conflicts.some((c) => c.theirs === "dashboard edit" || c.ours === "dashboard edit"), JSON.stringify(end.conflicts)).toBe(true);
    expect(end.refused).toBeGreaterThan(0);
  });

  it("when an older event of that document is stored but not applied yet, it goes first, so each edit keeps its own time", async () => {
    const slug = "events-first";
    const { dash, cms: cmsCopy } = await agreed(slug, "Industry events-first");
    await h.worker!.stop();
    try {
      // The Dashboard's description edit reaches Concord but waits (its event held, as behind a slow worker)…
      dashboard().update(dash.id, { description: "dashboard older" });
      const [held] = await untilRows<{ id: number }>(h.t.db, "the stored event", sql`select id from webhook_events where system = 'dashboard' and status = 'pending' and body like '%dashboard older%'`);
      await h.t.db.execute(sql`update webhook_events set lease_until = now() + interval '1 hour' where id = ${held!.id}`);
      // …the CMS's later description edit is applied and copied to the Dashboard, where a rename nobody reported waits.
      cms().update(cmsCopy.id, { description: "cms newer" });
      await untilRows(h.t.db, "the CMS event", sql`select 1 from webhook_events where system = 'cms' and body like '%cms newer%'`);
      dashboard().setWebhookFaults({ drop: 1 });
      dashboard().update(dash.id, { name: "unseen rename" });
    } finally {
      h.worker!.start();
    }
    await untilRows(h.t.db, "the Dashboard to refuse Concord's copy", sql`select 1 from delivery_attempts a join deliveries d on d.id = a.delivery_id
      join records r on r.id = d.record_id where r.natural_key = ${slug} and a.status_code = 412`);
    await h.t.db.execute(sql`update webhook_events set lease_until = null where system = 'dashboard' and status = 'pending' and body like '%dashboard older%'`);
    await h.settle({ timeoutMs: 20_000 });
    const [record] = await queryRows<{ data: { name: string; description: string } }>(h.t.db, sql`select data from records where natural_key = ${slug}`);
    const held = { dashboard: pick(dashDoc(slug)!), cms: pick(cmsDoc(slug)!), concord: pick(record!.data) };
    const want = { name: "unseen rename", description: "cms newer" };
    expect(held, "the older Dashboard description lost to the CMS's newer one by its own time, the rename was kept").toEqual({ dashboard: want, cms: want, concord: want });
  });
});

const pick = (d: { name: unknown; description?: unknown }) => ({ name: d.name, description: d.description });

