import { TRPCError } from "@trpc/server";
import { asc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, conflicts, deliveries, records } from "~/server/db/schema";
import { callerFor, makeUser, sessionFor } from "../helpers/actors";
import { industryConfig } from "../helpers/configs";
import { startHarness, type Harness } from "../helpers/harness";
import { postWebhook } from "../helpers/webhooks";

type TDoc = { id: string | number; slug: string; [k: string]: unknown };
const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof TRPCError ? e.code : String(e)));

function helpers(get: () => Harness) {
  const doc = (system: "dashboard" | "cms" | "lead-centre", slug: string) => get().samples.system(system).all<TDoc>().find((d) => d.slug === slug)!;
  return {
    doc,
    names: (slug: string) => ({ dashboard: doc("dashboard", slug).name, cms: doc("cms", slug).name, lead: doc("lead-centre", slug).title }),
    recordOf: async (slug: string) => (await get().engine.db.select().from(records).where(eq(records.naturalKey, slug)))[0]!,
    /** Makes each industry everywhere, then edits its name in the Dashboard and then in the CMS before either propagates. */
    async editBothSides(slugs: string[]) {
      const h = get();
      const [dashboard, cms] = [h.samples.system("dashboard"), h.samples.system("cms")];
      for (const slug of slugs) dashboard.create({ name: `Original ${slug}`, slug, description: "base", is_active: true });
      await h.settle();
      await h.worker!.stop(); // hold propagation so both edits happen "at once"
      for (const slug of slugs) dashboard.update(doc("dashboard", slug).id, { name: `Dashboard ${slug}` });
      await dashboard.webhooksIdle(); // the Dashboard's events land first, so the CMS edits are the ones that conflict
      for (const slug of slugs) cms.update(doc("cms", slug).id, { name: `CMS ${slug}` });
      await cms.webhooksIdle();
      h.worker!.start();
      await h.settle();
    },
  };
}

describe("resolving held conflicts (the manual policy)", () => {
  let h: Harness;
  let admin: ReturnType<typeof callerFor>;
  let viewer: ReturnType<typeof callerFor>;
  const x = helpers(() => h);
  const openOf = async (slug: string) => (await admin.conflicts.list({ status: "open", recordId: (await x.recordOf(slug)).id })).items;

  beforeAll(async () => {
    h = await startHarness({ config: industryConfig({ policy: "manual", priority: ["dashboard", "cms", "lead-centre"] }) });
    admin = callerFor(h.t.db, sessionFor(await makeUser(h.t.db, "resolver@concord.test", "admin")), h.engine);
    viewer = callerFor(h.t.db, sessionFor(await makeUser(h.t.db, "reader@concord.test", "viewer")), h.engine);
    await x.editBothSides(["alpha", "beta", "gamma", "delta"]);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("holds each one with base, theirs and ours named, filterable by entity and system, with the record", async () => {
    expect(x.names("alpha")).toEqual({ dashboard: "Dashboard alpha", cms: "CMS alpha", lead: "Original alpha" });
    const page = await viewer.conflicts.list({ status: "open", entity: "industry", system: "cms", pageSize: 2 });
    expect(page.total).toBe(4);
    expect(page.items).toHaveLength(2);
    const [alpha] = await openOf("alpha");
    expect(alpha).toMatchObject({ field: "name", base: "Original alpha", theirs: "CMS alpha", theirsSystem: "cms", ours: "Dashboard alpha", oursSystem: "dashboard", recordName: "Dashboard alpha", naturalKey: "alpha", recordDeleted: false, overridable: false });
    expect((await viewer.conflicts.list({ status: "open", system: "lead-centre" })).total).toBe(0);
    expect((await viewer.conflicts.list({ status: "open", entity: "vessel" })).total).toBe(0);
  });

  it("refuses an edited value the canonical schema does not accept, naming the field, and changes nothing", async () => {
    const [alpha] = await openOf("alpha");
    const before = { record: await x.recordOf("alpha"), waiting: (await h.engine.db.select().from(deliveries).where(inArray(deliveries.status, ["pending", "retrying"]))).length };
    for (const value of ["   ", 42, null]) {
      const err = (await admin.conflicts.resolve({ conflictId: alpha!.id, pick: "edited", value }).catch((e: unknown) => e)) as TRPCError;
      expect(err).toBeInstanceOf(TRPCError);
      expect(err.code).toBe("UNPROCESSABLE_CONTENT");
      expect(err.message).toMatch(/^industry\.name /);
    }
    expect(await x.recordOf("alpha")).toEqual(before.record);
    expect((await openOf("alpha")).map((c) => c.id)).toEqual([alpha!.id]);
    expect((await h.engine.db.select().from(deliveries).where(inArray(deliveries.status, ["pending", "retrying"]))).length).toBe(before.waiting);
    expect(await h.engine.db.select().from(auditLog).where(eq(auditLog.action, "conflicts.resolve"))).toEqual([]);
    expect(await codeOf(viewer.conflicts.resolve({ conflictId: alpha!.id, pick: "theirs" }))).toBe("FORBIDDEN");
  });

  it("takes a valid edited value: every system gets it, the field is released, audited", async () => {
    const [alpha] = await openOf("alpha");
    expect(await admin.conflicts.resolve({ conflictId: alpha!.id, pick: "edited", value: "  Agreed alpha  " })).toMatchObject({ field: "name", value: "Agreed alpha", pick: "edited", overrode: null });
    await h.settle();
    expect(x.names("alpha")).toEqual({ dashboard: "Agreed alpha", cms: "Agreed alpha", lead: "Agreed alpha" });
    expect((await x.recordOf("alpha")).held).toEqual({});
    expect(await codeOf(admin.conflicts.resolve({ conflictId: alpha!.id, pick: "ours" }))).toBe("CONFLICT");
    const [row] = await h.engine.db.select().from(auditLog).where(eq(auditLog.action, "conflicts.resolve"));
    expect(row).toMatchObject({ actorLabel: "resolver@concord.test", after: { field: "name", value: "Agreed alpha", pick: "edited" } });
  });

  it("resolves many by a policy — chosen ones by priority, then all matching a filter by the newest change, confirmed by count — and it propagates", async () => {
    const [beta] = await openOf("beta");
    const viewerTry = await codeOf(viewer.conflicts.resolveMany({ ids: [beta!.id], policy: "theirs" }));
    expect(viewerTry).toBe("FORBIDDEN");
    // The Dashboard is ranked first: its value (ours here) wins over the CMS's later edit.
    expect(await admin.conflicts.resolveMany({ ids: [beta!.id], policy: "priority" })).toEqual({ resolved: 1, skipped: 0, refused: [] });

    // A count that no longer matches changes nothing.
    expect(await codeOf(admin.conflicts.resolveMany({ filter: { entity: "industry" }, expectedCount: 3, policy: "newest" }))).toBe("CONFLICT");
    expect((await admin.conflicts.list({ status: "open" })).total).toBe(2);
    // The CMS edited last: the newest change wins.
    expect(await admin.conflicts.resolveMany({ filter: { entity: "industry", system: "cms" }, expectedCount: 2, policy: "newest" })).toEqual({ resolved: 2, skipped: 0, refused: [] });
    expect((await admin.conflicts.list({ status: "open" })).total).toBe(0);

    await h.settle();
    expect(x.names("beta")).toEqual({ dashboard: "Dashboard beta", cms: "Dashboard beta", lead: "Dashboard beta" });
    expect(x.names("gamma")).toEqual({ dashboard: "CMS gamma", cms: "CMS gamma", lead: "CMS gamma" });
    expect(x.names("delta")).toEqual({ dashboard: "CMS delta", cms: "CMS delta", lead: "CMS delta" });

    const rows = await h.engine.db.select().from(auditLog).where(eq(auditLog.action, "conflicts.resolveMany")).orderBy(asc(auditLog.id));
    expect(rows.map((r) => [r.actorLabel, r.target])).toEqual([
      ["resolver@concord.test", "conflicts:1 by id"],
      ["resolver@concord.test", "conflicts:open entity=industry system=cms"],
    ]);
    expect(rows[1]!.before).toMatchObject({ filter: { entity: "industry", system: "cms" }, expectedCount: 2, policy: "newest" });
    expect((rows[1]!.after as { items: { pick: string }[] }).items.map((i) => i.pick)).toEqual(["theirs", "theirs"]);
  });

  it("the newest change is the older side's when the incoming event is older than Concord's value", async () => {
    h.samples.system("dashboard").create({ name: "Original epsilon", slug: "epsilon", description: "base", is_active: true });
    await h.settle();
    await h.worker!.stop();
    h.samples.system("dashboard").update(x.doc("dashboard", "epsilon").id, { name: "Dashboard epsilon" });
    await h.samples.system("dashboard").webhooksIdle();
    // The CMS reports an edit made a minute ago (it was offline): older than the Dashboard's.
    const old = new Date(Date.now() - 60_000).toISOString();
    const data = { ...x.doc("cms", "epsilon"), name: "CMS epsilon", updatedAt: old };
    const res = await postWebhook({ url: h.concordUrl, system: "cms", secret: h.samples.secrets.cms, body: { type: "industry.updated", timestamp: old, data } });
    expect(res.status).toBe(202);
    h.worker!.start();
    await h.settle();
    const [epsilon] = await openOf("epsilon");
    expect(epsilon).toMatchObject({ theirs: "CMS epsilon", ours: "Dashboard epsilon" });
    expect(await admin.conflicts.resolveMany({ ids: [epsilon!.id], policy: "newest" })).toEqual({ resolved: 1, skipped: 0, refused: [] });
    await h.settle();
    expect(x.names("epsilon")).toEqual({ dashboard: "Dashboard epsilon", cms: "Dashboard epsilon", lead: "Dashboard epsilon" });
  });
});

describe("reversing what last-write-wins decided", () => {
  let h: Harness;
  let admin: ReturnType<typeof callerFor>;
  const x = helpers(() => h);

  beforeAll(async () => {
    h = await startHarness();
    admin = callerFor(h.t.db, sessionFor(await makeUser(h.t.db, "override@concord.test", "admin")), h.engine);
    await x.editBothSides(["zeta", "eta"]);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("shows the policy's decision, and an admin's other choice reaches every system", async () => {
    expect(x.names("zeta")).toEqual({ dashboard: "CMS zeta", cms: "CMS zeta", lead: "CMS zeta" });
    const { items } = await admin.conflicts.list({ status: "resolved", recordId: (await x.recordOf("zeta")).id });
    const decided = items.find((c) => c.resolvedBy === "policy:lww")!;
    expect(decided).toMatchObject({ field: "name", resolution: "theirs", theirs: "CMS zeta", ours: "Dashboard zeta", overridable: true });
    expect(await codeOf(admin.conflicts.resolve({ conflictId: decided.id, pick: "theirs" }))).toBe("CONFLICT"); // what the policy already chose

    expect(await admin.conflicts.resolve({ conflictId: decided.id, pick: "ours" })).toEqual({ field: "name", value: "Dashboard zeta", pick: "ours", overrode: "policy:lww" });
    await h.settle();
    expect(x.names("zeta")).toEqual({ dashboard: "Dashboard zeta", cms: "Dashboard zeta", lead: "Dashboard zeta" });
    const [after] = (await admin.conflicts.list({ status: "resolved", recordId: decided.recordId })).items.filter((c) => c.id === decided.id);
    expect(after).toMatchObject({ resolution: "ours", resolvedBy: "override@concord.test", overridable: false });
    expect(await codeOf(admin.conflicts.resolve({ conflictId: decided.id, pick: "theirs" }))).toBe("CONFLICT");
  });

  it("refuses when the field changed since the policy decided: its decision no longer stands", async () => {
    h.samples.system("dashboard").update(x.doc("dashboard", "eta").id, { name: "Later eta" });
    await h.settle();
    const [decided] = (await admin.conflicts.list({ status: "resolved", recordId: (await x.recordOf("eta")).id })).items;
    expect(decided).toMatchObject({ overridable: false });
    const err = (await admin.conflicts.resolve({ conflictId: decided!.id, pick: "ours" }).catch((e: unknown) => e)) as TRPCError;
    expect(err.code).toBe("CONFLICT");
    expect(err.message).toContain("has changed since");
    expect(x.names("eta")).toEqual({ dashboard: "Later eta", cms: "Later eta", lead: "Later eta" });
    expect((await h.engine.db.select().from(conflicts).where(eq(conflicts.id, decided!.id)))[0]!.resolvedBy).toBe("policy:lww");
  });
});
