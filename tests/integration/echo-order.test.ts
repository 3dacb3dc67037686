// A stale echo processed after a newer edit never overwrites it (issue #11; lessons.md "Loops and echoes").
// The sample CMS's webhook faults hold back the echo of one of Concord's writes (delay) and let the later
// echoes overtake it (reorder), so it is processed last — deterministically.
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
  await h.settle();
});

const dashboard = () => h.samples.system("dashboard");
const cms = () => h.samples.system("cms");
const cmsDoc = (slug: string) => cms().all().find((d) => d.slug === slug);
/** What became of the CMS's webhooks about one document. */
const outcomesOf = (slug: string) => cms().webhookOutcomes().filter((o) => o.record === `industries:${cmsDoc(slug)?.id}`);

/** Waits for every held webhook, then for Concord to finish; returns what each side and Concord hold. */
async function finish(slug: string) {
  await cms().webhooksIdle();
  await h.settle({ timeoutMs: 20_000 });
  const [record] = await queryRows<{ id: string; data: { name: string }; stamps: unknown }>(h.t.db, sql`select id, data, stamps from records where natural_key = ${slug}`);
  const conflicts = await queryRows<{ field: string; theirs: unknown; ours: unknown; theirs_system: string; resolution: string | null; reason: string }>(
    h.t.db,
    sql`select field, theirs, ours, theirs_system, resolution, reason from conflicts where record_id = ${record!.id}`,
  );
  const changes = await queryRows(h.t.db, sql`select system, kind, outcome, fields, source_time, detail from changes where record_id = ${record!.id} order by id`);
  return { dashboard: dashboard().all().find((d) => d.slug === slug)!.name, cms: cmsDoc(slug)!.name, concord: record!.data.name, conflicts, changes };
}

describe("a stale echo arriving after a newer edit", () => {
  it("the echo of Concord's create, released after two Dashboard edits, does not bring the old name back", async () => {
    const slug = "industry-2-9";
    cms().setWebhookFaults({ delayMs: 5_000, reorder: 1 }); // the create's echo waits 5 s, on its own
    const doc = dashboard().create({ name: "Industry 2-9", slug, description: "", is_active: true });
    await until("Concord to create it in the CMS", () => cmsDoc(slug) !== undefined);
    cms().setWebhookFaults({ delayMs: 0 }); // later echoes go at once, overtaking the held one
    dashboard().update(doc.id, { name: "e13" });
    await until("e13 in the CMS", () => cmsDoc(slug)?.name === "e13");
    dashboard().update(doc.id, { name: "e17" });
    await until("e17 in the CMS", () => cmsDoc(slug)?.name === "e17");
    const acked = (type: string) => outcomesOf(slug).filter((o) => o.type === type && o.outcome === "acked").length;
    await until("the echoes of e13 and e17", () => acked("industry.updated") >= 2);
    expect(acked("industry.created"), "the create's echo is still held").toBe(0);

    const end = await finish(slug);
    expect(acked("industry.created")).toBe(1);
    expect({ dashboard: end.dashboard, cms: end.cms, concord: end.concord }, JSON.stringify(end, null, 1)).toEqual({ dashboard: "e17", cms: "e17", concord: "e17" });
    expect(end.conflicts.filter((c) => c.field === "name" && c.resolution === "theirs" && c.theirs === "Industry 2-9")).toEqual([]);
  });

  it("the echo of Concord's write of e13, applied by the CMS after the user's e17 and released last, does not overwrite e17", async () => {
    const slug = "industry-3-1";
    const doc = dashboard().create({ name: "Industry 3-1", slug, description: "", is_active: true });
    await h.settle();
    await until("the CMS copy", () => cmsDoc(slug) !== undefined);
    // Concord's PATCH of e13 takes 1.5 s to apply, so the CMS applies it after the user's e17;
    // its echo (carrying that later CMS time) is held 5 s and lets the echo of e17 overtake it.
    cms().setFaults({ latencyMs: 1_500 });
    cms().setWebhookFaults({ delayMs: 5_000, reorder: 1 });
    dashboard().update(doc.id, { name: "e13" });
    await untilRows(h.t.db, "Concord's PATCH of e13 to the CMS in flight", sql`select 1 from deliveries d join records r on r.id = d.record_id
      where r.natural_key = ${slug} and r.data->>'name' = 'e13' and d.system = 'cms' and d.status = 'in_flight'`);
    dashboard().update(doc.id, { name: "e17" });
    await until("e13 in the CMS", () => cmsDoc(slug)?.name === "e13");
    cms().setFaults({ latencyMs: 0 });
    cms().setWebhookFaults({ delayMs: 0 });
    await until("e17 in the CMS", () => cmsDoc(slug)?.name === "e17");
    const updates = () => outcomesOf(slug).filter((o) => o.type === "industry.updated");
    await until("the echo of e17", () => updates().some((o) => o.outcome === "acked"));
    expect(updates().length, "the echo of e13 is still held").toBe(1);

    const end = await finish(slug);
    const [e17Echo, e13Echo] = updates();
    expect(e13Echo!.queuedAt, "the held echo was queued first…").toBeLessThan(e17Echo!.queuedAt);
    expect(e13Echo!.at, "…and delivered last").toBeGreaterThan(e17Echo!.at);
    expect({ dashboard: end.dashboard, cms: end.cms, concord: end.concord }, JSON.stringify(end, null, 1)).toEqual({ dashboard: "e17", cms: "e17", concord: "e17" });
    expect(end.conflicts.filter((c) => c.field === "name" && c.resolution === "theirs" && c.theirs === "e13")).toEqual([]);
  });

  it("the echo of Concord's create that overtakes the create's reply is linked as Concord's own, not re-matched by natural key", async () => {
    const slug = "industry-4-2";
    cms().setFaults({ applyButTimeoutMs: 1_500 }); // the CMS applies the create and sends its webhook, then answers 1.5 s later
    dashboard().create({ name: "Industry 4-2", slug, description: "", is_active: true });
    const created = () => outcomesOf(slug).filter((o) => o.type === "industry.created" && o.outcome === "acked");
    await until("the create's echo, acknowledged before the create's reply", () => created().length === 1);
    cms().setFaults({ applyButTimeoutMs: 0 });
    const end = await finish(slug);
    expect({ dashboard: end.dashboard, cms: end.cms, concord: end.concord }).toEqual({ dashboard: "Industry 4-2", cms: "Industry 4-2", concord: "Industry 4-2" });
    const [link] = await queryRows<{ origin: string; last_values: Record<string, unknown> | null }>(
      h.t.db,
      sql`select l.origin, l.last_values from links l join records r on r.id = l.record_id where r.natural_key = ${slug} and l.system = 'cms'`,
    );
    expect(link?.origin, JSON.stringify(end.changes)).toBe("sync");
    expect(link?.last_values).toMatchObject({ name: "Industry 4-2", slug });
    expect(end.changes.filter((c) => (c as { system: string }).system === "cms").map((c) => (c as { outcome: string }).outcome)).toEqual(["echo"]);
    const [delivery] = await queryRows<{ status_code: number }>(
      h.t.db,
      sql`select a.status_code from delivery_attempts a join deliveries d on d.id = a.delivery_id join records r on r.id = d.record_id where r.natural_key = ${slug} and d.system = 'cms' and a.method = 'POST'`,
    );
    expect(delivery?.status_code, "the create was sent once and answered").toBe(201);
  });
});
