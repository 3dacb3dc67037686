import { TRPCError } from "@trpc/server";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, changes, conflicts, deliveries, links, records, systems, webhookEvents } from "~/server/db/schema";
import { applyChange } from "~/server/services/ingest/apply-change";
import { callerFor, makeUser, sessionFor } from "../helpers/actors";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
let admin: ReturnType<typeof callerFor>;
let viewer: ReturnType<typeof callerFor>;

const dashboard = () => h.samples.system("dashboard");
const cms = () => h.samples.system("cms");
const bySlug = <T extends { slug: string }>(docs: T[], slug: string) => docs.find((d) => d.slug === slug)!;
const cmsByName = (name: string) => cms().all().find((d) => d.name === name)!;
const scope = { entity: "industry", system: "cms" } as const;

async function recordId(slug: string): Promise<string> {
  const [row] = await h.engine.db.select({ id: records.id }).from(records).where(eq(records.naturalKey, slug));
  return row!.id;
}
const cmsLinkOf = async (id: string) =>
  (await h.engine.db.select().from(links).where(and(eq(links.recordId, id), eq(links.system, "cms"))))[0];
const setCmsEnabled = (enabled: boolean) => h.engine.db.update(systems).set({ enabled }).where(eq(systems.key, "cms"));
const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof TRPCError ? e.code : String(e)));
/** The slug a link held as an open conflict (the two documents' keys differed), decided by the admin. */
async function decideSlug(recordId: string, pick: "theirs" | "ours") {
  const open = await h.engine.db.select().from(conflicts).where(and(eq(conflicts.recordId, recordId), eq(conflicts.status, "open"), eq(conflicts.field, "slug")));
  expect(open).toHaveLength(1);
  await admin.conflicts.resolve({ conflictId: open[0]!.id, pick });
  await h.settle();
  return open[0]!;
}
const counts = () => ({ dashboard: dashboard().all().length, cms: cms().all().length });

beforeAll(async () => {
  h = await startHarness({ worker: true });
  admin = callerFor(h.t.db, sessionFor(await makeUser(h.t.db, "linker@concord.test", "admin")), h.engine);
  viewer = callerFor(h.t.db, sessionFor(await makeUser(h.t.db, "looker@concord.test", "viewer")), h.engine);
  dashboard().seedSample();
  cms().seedSample();
  // Concord first met the Dashboard's industries (as a run reading its pages would), before the CMS was
  // connected: the writes it queued for the CMS are dropped, so both sides hold records nobody linked.
  for (const doc of dashboard().all()) {
    await h.engine.db.transaction(async (tx) => {
      const change = { entity: "industry", system: "dashboard", kind: "create" as const, externalId: String(doc.id), doc: { ...doc }, eventTime: null };
      const result = await applyChange(tx, h.engine.config, change, h.engine.now());
      await tx.delete(deliveries).where(and(eq(deliveries.recordId, result.recordId!), eq(deliveries.system, "cms")));
    });
  }
  await h.settle();
});
afterAll(async () => {
  await h?.stop();
});

describe("linking what existed before (seed rule 6)", () => {
  it("lists the unlinked documents and records both ways, paginated on the server", async () => {
    const all = await viewer.links.unlinked({ ...scope, pageSize: 200 });
    expect(all.documents.total).toBe(cms().all().length);
    expect(all.records.total).toBe(dashboard().all().length);
    expect(all.records.items.every((r) => r.linkedIn.includes("dashboard"))).toBe(true);
    expect(all.documents.items.find((d) => d.name === "Roofing Services")).toMatchObject({ naturalKey: "roofing-services" });

    const page2 = await viewer.links.unlinked({ ...scope, page: 2, pageSize: 5 });
    expect(page2.documents.items).toEqual(all.documents.items.slice(5, 10));
    expect(page2.records.items).toEqual(all.records.items.slice(5, 10));
    // The link picker searches every unlinked document, not only the page's five.
    expect(page2.choices).toEqual({ truncated: false, items: all.documents.items });

    const fromDashboard = await viewer.links.unlinked({ entity: "industry", system: "dashboard" });
    expect([fromDashboard.documents.total, fromDashboard.records.total]).toEqual([0, 0]);
    expect(await codeOf(viewer.links.unlinked({ entity: "spaceship", system: "cms" }))).toBe("NOT_FOUND");
    expect(await codeOf(viewer.links.unlinked({ entity: "industry", system: "erp" }))).toBe("NOT_FOUND");
  });

  it("suggests the same slug at 1.0 and similar names below it, best first, at most 3", async () => {
    const suggestions = await viewer.links.suggestions(scope);
    const exact = suggestions.filter((s) => s.candidates[0]!.score === 1);
    expect(exact).toHaveLength(10);
    for (const s of exact) expect(s.candidates[0]).toMatchObject({ naturalKey: s.naturalKey, reason: "same slug" });

    const roofing = suggestions.find((s) => s.name === "Roofing Services")!;
    expect(roofing.candidates[0]).toMatchObject({ naturalKey: "roofing" });
    expect(roofing.candidates[0]!.score).toBeGreaterThan(0.6);
    expect(roofing.candidates[0]!.score).toBeLessThan(1);
    expect(suggestions.find((s) => s.name === "Kitchen Fitters")!.candidates[0]!.naturalKey).toBe("kitchen-fitting");
    for (const s of suggestions) {
      expect(s.candidates.length).toBeLessThanOrEqual(3);
      expect(s.candidates.every((c) => c.score >= 0.6)).toBe(true);
      expect(s.candidates.map((c) => c.score)).toEqual([...s.candidates.map((c) => c.score)].sort((a, b) => b - a));
    }
    expect(suggestions.find((s) => s.name === "Accounting")).toBeUndefined();
  });

  it("links by hand: the CMS takes Concord's values, a differing slug waits as a conflict naming both systems, the Dashboard's cms_id holds the CMS id, audited", async () => {
    const roofing = await recordId("roofing");
    const doc = cmsByName("Roofing Services");
    const before = counts();
    const { link, conflicts: opened } = await admin.links.link({ recordId: roofing, system: "cms", externalId: doc.id });
    expect(link).toMatchObject({ recordId: roofing, system: "cms", externalId: doc.id, origin: "manual" });
    expect(opened).toEqual([expect.objectContaining({ field: "slug", theirs: "roofing-services", ours: "roofing" })]);
    await h.settle();

    // Nothing dies on the CMS's unique slug: the slug is left out until an admin chooses.
    const inDashboard = bySlug(dashboard().all(), "roofing");
    expect(cms().get(doc.id)).toMatchObject({ name: inDashboard.name, slug: "roofing-services", description: inDashboard.description, active: inDashboard.is_active });
    expect(inDashboard.cms_id).toBe(doc.id);
    const conflict = await decideSlug(roofing, "ours");
    expect(conflict).toMatchObject({ theirsSystem: "cms", oursSystem: "dashboard", reason: "link", base: null });
    expect(cms().get(doc.id)).toMatchObject({ slug: "roofing" });
    expect(counts()).toEqual(before);
    const [row] = await h.engine.db.select().from(auditLog).where(and(eq(auditLog.action, "links.link"), eq(auditLog.target, `record:${roofing}`)));
    expect(row).toMatchObject({ actorLabel: "linker@concord.test", before: { link: null, displaced: null }, after: { link: { externalId: doc.id } } });
    expect((await viewer.links.suggestions(scope)).find((s) => s.externalId === doc.id)).toBeUndefined();
  });

  it("lists the records linked in a system, searchable by name, key or id, for unlink and relink", async () => {
    const roofing = await recordId("roofing");
    const doc = { id: (await cmsLinkOf(roofing))!.externalId }; // the former "Roofing Services", which took Concord's name
    const found = await viewer.links.linked({ ...scope, search: "roof" });
    expect(found.items).toEqual([expect.objectContaining({ recordId: roofing, naturalKey: "roofing", externalId: doc.id, origin: "manual" })]);
    expect((await viewer.links.linked({ ...scope, search: doc.id })).items.map((i) => i.recordId)).toEqual([roofing]);
    expect((await viewer.links.linked({ ...scope, search: "no-such-thing" })).total).toBe(0);
    const everyDashboardLink = await viewer.links.linked({ entity: "industry", system: "dashboard", pageSize: 5 });
    expect(everyDashboardLink.total).toBe(dashboard().all().length);
    expect(everyDashboardLink.items).toHaveLength(5);
  });

  it("refuses a document or a record that is already linked, a missing document and an unknown system", async () => {
    const roofing = await recordId("roofing");
    const kitchen = await recordId("kitchen-fitting");
    const roofingDoc = cmsByName("Roofing");
    expect(await codeOf(admin.links.link({ recordId: kitchen, system: "cms", externalId: roofingDoc.id }))).toBe("CONFLICT");
    expect(await codeOf(admin.links.link({ recordId: roofing, system: "cms", externalId: cmsByName("Kitchen Fitters").id }))).toBe("CONFLICT");
    expect(await codeOf(admin.links.relink({ recordId: roofing, system: "cms", externalId: roofingDoc.id }))).toBe("CONFLICT");
    expect(await codeOf(admin.links.link({ recordId: kitchen, system: "cms", externalId: "ffffffffffffffffffffffff" }))).toBe("NOT_FOUND");
    expect(await codeOf(admin.links.link({ recordId: kitchen, system: "erp", externalId: "1" }))).toBe("NOT_FOUND");
    expect(await cmsLinkOf(kitchen)).toBeUndefined();
  });

  it("relinks a document to another record: the old record's cms_id is cleared, the new one's set", async () => {
    const [roofing, carpentry] = [await recordId("roofing"), await recordId("carpentry")];
    const doc = cmsByName("Roofing");
    const before = counts();
    const { link, displaced } = await admin.links.relink({ recordId: carpentry, system: "cms", externalId: doc.id });
    expect(link).toMatchObject({ recordId: carpentry, externalId: doc.id });
    expect(displaced.map((d) => d.recordId)).toEqual([roofing]);
    await h.settle();
    expect(cms().get(doc.id)).toMatchObject({ name: "Carpentry", slug: "roofing" });
    await decideSlug(carpentry, "ours");
    expect(await cmsLinkOf(roofing)).toBeUndefined();
    expect(bySlug(dashboard().all(), "roofing").cms_id).toBeNull();
    expect(bySlug(dashboard().all(), "carpentry").cms_id).toBe(doc.id);
    expect(cms().get(doc.id)).toMatchObject({ name: "Carpentry", slug: "carpentry" });
    expect(counts()).toEqual(before);
  });

  it("relinks a record to another document while the CMS is paused: the waiting write follows the link", async () => {
    const kitchen = await recordId("kitchen-fitting");
    const [wrong, right] = [cmsByName("Web Design"), cmsByName("Kitchen Fitters")];
    await setCmsEnabled(false);
    await admin.links.link({ recordId: kitchen, system: "cms", externalId: wrong.id });
    const { link, displaced } = await admin.links.relink({ recordId: kitchen, system: "cms", externalId: right.id });
    expect([link.externalId, displaced.map((d) => d.externalId)]).toEqual([right.id, [wrong.id]]);
    const statuses = await h.engine.db.select({ status: deliveries.status }).from(deliveries).where(and(eq(deliveries.recordId, kitchen), eq(deliveries.system, "cms")));
    expect(statuses.map((s) => s.status).sort()).toEqual(["cancelled", "pending"]);
    await setCmsEnabled(true);
    await h.settle();
    // The first link's question about the slug went with that link; the new one asks its own.
    expect((await h.engine.db.select().from(conflicts).where(and(eq(conflicts.recordId, kitchen), eq(conflicts.status, "open")))).length).toBe(1);
    await decideSlug(kitchen, "ours");
    expect(cms().get(wrong.id)).toMatchObject({ name: "Web Design", slug: "web-design" });
    expect(cms().get(right.id)).toMatchObject({ name: "Kitchen Fitting", slug: "kitchen-fitting" });
    expect(bySlug(dashboard().all(), "kitchen-fitting").cms_id).toBe(right.id);
  });

  it("unlinks without deleting anything anywhere", async () => {
    const carpentry = await recordId("carpentry");
    const docId = (await cmsLinkOf(carpentry))!.externalId;
    const before = { ...counts(), records: (await h.engine.db.select().from(records)).length };
    const result = await admin.links.unlink({ recordId: carpentry, system: "cms" });
    expect(result.link.externalId).toBe(docId);
    expect(result.clearedIds).toEqual([{ system: "dashboard", ok: true, error: null }]);
    await h.settle();
    expect(await cmsLinkOf(carpentry)).toBeUndefined();
    expect(cms().get(docId)).toMatchObject({ slug: "carpentry" });
    expect(bySlug(dashboard().all(), "carpentry").cms_id).toBeNull();
    expect({ ...counts(), records: (await h.engine.db.select().from(records)).length }).toEqual(before);
    expect(await codeOf(admin.links.unlink({ recordId: carpentry, system: "cms" }))).toBe("NOT_FOUND");
  });

  it("accepts suggestions in bulk with an outcome per pair, refusing a pair already linked", async () => {
    const exact = (await admin.links.suggestions(scope)).filter((s) => s.candidates[0]!.score === 1);
    const items = exact.map((s) => ({ recordId: s.candidates[0]!.recordId, system: "cms", externalId: s.externalId }));
    const result = await admin.links.acceptSuggestions({ items: [...items, items[0]!] });
    expect([result.linked, result.refused]).toEqual([items.length, 1]);
    expect(result.items.at(-1)).toMatchObject({ ok: false, link: null, error: { code: "CONFLICT" } });
    await h.settle();
    for (const s of exact) expect(bySlug(dashboard().all(), s.naturalKey!).cms_id).toBe(s.externalId);
    const audited = await h.engine.db.select().from(auditLog).where(eq(auditLog.action, "links.acceptSuggestions"));
    expect(audited.map((a) => a.target).sort()).toEqual(items.map((i) => `record:${i.recordId}`).sort());
  });

  it("leaves an audit row for every mutation, and refuses them to a viewer", async () => {
    const actions = ["links.link", "links.relink", "links.unlink", "links.acceptSuggestions"];
    const rows = await h.engine.db.select({ action: auditLog.action }).from(auditLog).where(inArray(auditLog.action, actions));
    expect(new Set(rows.map((r) => r.action))).toEqual(new Set(actions));
    const kitchen = await recordId("kitchen-fitting");
    const target = { recordId: kitchen, system: "cms", externalId: cmsByName("Accounting").id };
    expect(await codeOf(viewer.links.link(target))).toBe("FORBIDDEN");
    expect(await codeOf(viewer.links.relink(target))).toBe("FORBIDDEN");
    expect(await codeOf(viewer.links.unlink({ recordId: kitchen, system: "cms" }))).toBe("FORBIDDEN");
    expect(await codeOf(viewer.links.acceptSuggestions({ items: [target] }))).toBe("FORBIDDEN");
    expect((await cmsLinkOf(kitchen))!.externalId).toBe(cmsByName("Kitchen Fitting").id);
  });

  it("left nothing dead or failed, and every write a system echoed back was dropped (an echo, or unchanged when it beat the delivery's own bookkeeping)", async () => {
    const dead = await h.engine.db.select().from(deliveries).where(eq(deliveries.status, "dead"));
    const failed = await h.engine.db.select().from(webhookEvents).where(eq(webhookEvents.status, "failed"));
    expect([dead, failed]).toEqual([[], []]);
    const outcomes = await h.engine.db.selectDistinct({ outcome: changes.outcome }).from(changes).where(inArray(changes.system, ["cms", "dashboard"]));
    expect(outcomes.map((o) => o.outcome).filter((o) => !["created", "echo", "unchanged", "linked", "unlinked"].includes(o))).toEqual([]);
  });
});
