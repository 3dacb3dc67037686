import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conflicts, records } from "~/server/db/schema";
import type { TTimelineEntry } from "~/server/services/records/timeline-entries";
import { callerFor, makeUser, sessionFor } from "../helpers/actors";
import { industryConfig } from "../helpers/configs";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
let admin: ReturnType<typeof callerFor>;
let viewer: ReturnType<typeof callerFor>;
beforeAll(async () => {
  // Manual conflict policy: a field edited on both sides waits for an admin, so the conflict is seen open, then resolved.
  h = await startHarness({ config: industryConfig({ policy: "manual" }) });
  admin = callerFor(h.engine.db, sessionFor(await makeUser(h.engine.db, "records-admin@concord.test", "admin")), h.engine);
  viewer = callerFor(h.engine.db, sessionFor(await makeUser(h.engine.db, "records-viewer@concord.test", "viewer")), h.engine);
});
afterAll(async () => {
  await h?.stop();
});

const dashboard = () => h.samples.system("dashboard");
const cms = () => h.samples.system("cms");
const bySlug = <T extends { slug: string }>(docs: T[], slug: string) => docs.find((d) => d.slug === slug)!;
const recordId = async (slug: string) => (await h.engine.db.select().from(records).where(eq(records.naturalKey, slug)))[0]!.id;

/** Every timeline entry, read a page of `limit` at a time through the cursor. */
async function walk(id: string, limit: number): Promise<TTimelineEntry[]> {
  const out: TTimelineEntry[] = [];
  let before: string | undefined;
  for (let i = 0; i < 100; i++) {
    const page = await viewer.records.timeline({ id, before, limit });
    out.push(...page.items);
    if (!page.next) return out;
    before = page.next;
  }
  throw new Error("the timeline did not end");
}

describe("the record page", () => {
  it("shows a webhook change, its deliveries with attempts, the links and a conflict opened and resolved, newest first", async () => {
    dashboard().create({ name: "Hydrogen", slug: "hydrogen", description: "H2", is_active: true });
    await h.settle();
    const id = await recordId("hydrogen");

    // Both sides edit the name before either propagates: a conflict, held for an admin.
    await h.worker!.stop();
    // The Dashboard's webhook lands first, so the CMS edit is the one that meets a changed field (theirs = cms).
    dashboard().update(bySlug(dashboard().all(), "hydrogen").id, { name: "Hydrogen (Dashboard)" });
    await dashboard().webhooksIdle();
    cms().update(bySlug(cms().all(), "hydrogen").id, { name: "Hydrogen (CMS)" });
    await cms().webhooksIdle();
    h.worker!.start();
    await h.settle();

    const page = await viewer.records.page({ id });
    expect(page.record).toMatchObject({ naturalKey: "hydrogen", deleted: false });
    expect(Object.keys(page.record.held)).toEqual(["name"]);
    expect(page.fields).toEqual(["name", "slug", "description", "active"]);
    expect(page.deletion).toBeNull();
    const column = (s: string) => page.systems.find((c) => c.system === s)!;
    expect(page.systems.map((s) => s.system)).toEqual(["dashboard", "cms", "lead-centre"]);
    expect(column("dashboard").fields.active).toEqual({ field: "is_active", direction: "both" });
    expect(column("lead-centre").fields.name).toEqual({ field: "title", direction: "receive" });
    expect(column("cms").link).toMatchObject({ externalId: String(bySlug(cms().all(), "hydrogen").id), removed: false });
    expect(column("cms").lastValues).toMatchObject({ name: "Hydrogen (CMS)", slug: "hydrogen", description: "H2", active: true });
    expect(column("lead-centre").lastValues).toMatchObject({ name: "Hydrogen" });

    const [open] = await h.engine.db.select().from(conflicts).where(eq(conflicts.recordId, id));
    await admin.conflicts.resolve({ conflictId: open!.id, pick: "theirs" });
    await h.settle();

    const all = await walk(id, 100);
    const at = all.map((e) => e.at.getTime());
    expect(at).toEqual([...at].sort((a, b) => b - a)); // newest first
    expect(all[all.length - 1]).toMatchObject({ type: "change", change: { system: "dashboard", kind: "create", outcome: "created" } });

    const changes = all.flatMap((e) => (e.type === "change" ? [e.change] : []));
    expect(changes.some((c) => c.system === "cms" && c.outcome === "conflict" && c.fields.includes("name") && c.webhookEventId !== null)).toBe(true);
    const deliveries = all.flatMap((e) => (e.type === "delivery" ? [e.delivery] : []));
    const create = deliveries.find((d) => d.system === "cms" && d.action === "create")!;
    expect(create).toMatchObject({ status: "succeeded", fields: expect.arrayContaining(["name", "slug"]) as string[] });
    expect(create.requests.map((r) => [r.method, r.outcome])).toContainEqual(["POST", "success"]);
    expect(create.requests.every((r) => typeof r.durationMs === "number")).toBe(true);
    const linked = all.flatMap((e) => (e.type === "link" ? [e.link.system] : []));
    expect(linked.sort()).toEqual(["cms", "dashboard", "lead-centre"]);
    const opened = all.findIndex((e) => e.type === "conflict-opened");
    const resolved = all.findIndex((e) => e.type === "conflict-resolved");
    expect(opened).toBeGreaterThan(resolved);
    expect(all[resolved]).toMatchObject({ conflict: { field: "name", resolution: "theirs", resolvedBy: "records-admin@concord.test" } });
    expect(all[opened]).toMatchObject({ conflict: { field: "name", theirsSystem: "cms", reason: "manual" } });

    // A page at a time gives the same list: nothing repeated, nothing skipped.
    const paged = await walk(id, 3);
    expect(paged.map((e) => e.key)).toEqual(all.map((e) => e.key));
    expect(new Set(paged.map((e) => e.key)).size).toBe(paged.length);

    // An admin's link action is in it too, with who did it.
    await admin.links.unlink({ recordId: id, system: "lead-centre" });
    const [latest] = (await viewer.records.timeline({ id, limit: 5 })).items.filter((e) => e.type === "admin");
    expect(latest).toMatchObject({ type: "admin", audit: { action: "links.unlink", actor: "records-admin@concord.test" } });
  });

  it("reads each linked system now and names the fields that differ from Concord's values", async () => {
    dashboard().create({ name: "Biomass", slug: "biomass", description: "Wood", is_active: true });
    await h.settle();
    const id = await recordId("biomass");
    expect((await viewer.records.readLive({ id })).reads.map((r) => [r.system, r.status, r.differs])).toEqual([
      ["dashboard", "ok", []],
      ["cms", "ok", []],
      ["lead-centre", "ok", []],
    ]);

    cms().setConfig({ webhooks: false }); // changed there, Concord not told
    cms().update(bySlug(cms().all(), "biomass").id, { description: "Pellets" });
    cms().setConfig({ webhooks: true });
    h.samples.system("lead-centre").setFaults({ down: true });
    try {
      const live = await viewer.records.readLive({ id });
      const cmsRead = live.reads.find((r) => r.system === "cms")!;
      expect(cmsRead).toMatchObject({ status: "ok", differs: ["description"], values: { description: "Pellets", name: "Biomass" } });
      expect(live.reads.find((r) => r.system === "dashboard")).toMatchObject({ status: "ok", differs: [] });
      const lead = live.reads.find((r) => r.system === "lead-centre")!;
      expect(lead.status).toBe("error");
      expect(lead.error).toBeTruthy();
    } finally {
      h.samples.system("lead-centre").setFaults({ down: false });
    }
    // Reading changed nothing.
    expect((await viewer.records.page({ id })).record.data.description).toBe("Wood");
  });

  it("lists records per entity with search, the deleted filter and the systems holding each", async () => {
    const list = await viewer.records.list({ entity: "industry", search: "bio" });
    expect(list.items.map((i) => [i.naturalKey, i.systems])).toEqual([["biomass", ["cms", "dashboard", "lead-centre"]]]);
    expect((await viewer.records.entities()).map((e) => e.key)).toContain("industry");
    expect((await viewer.records.list({ entity: "industry", onlyDeleted: true })).total).toBe(0);
  });

  it("answers NOT_FOUND for an unknown record and BAD_REQUEST for a bad cursor", async () => {
    const missing = await viewer.records.page({ id: crypto.randomUUID() }).catch((e: unknown) => e);
    expect((missing as TRPCError).code).toBe("NOT_FOUND");
    const bad = await viewer.records.timeline({ id: crypto.randomUUID(), before: "not-a-cursor" }).catch((e: unknown) => e);
    expect((bad as TRPCError).code).toBe("BAD_REQUEST");
  });
});
