import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, conflicts, links, records } from "~/server/db/schema";
import { createRun } from "~/server/services/runs/create-run";
import { executeRun } from "~/server/services/runs/execute-run";
import { callerFor, makeUser, sessionFor } from "../helpers/actors";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
let admin: ReturnType<typeof callerFor>;
let viewer: ReturnType<typeof callerFor>;
const dashboard = () => h.samples.system("dashboard");
const cms = () => h.samples.system("cms");
const scope = { entity: "industry", system: "cms", from: "dashboard" } as const;
const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof TRPCError ? e.code : String(e)));

beforeAll(async () => {
  h = await startHarness({ worker: true });
  admin = callerFor(h.t.db, sessionFor(await makeUser(h.t.db, "matcher@concord.test", "admin")), h.engine);
  viewer = callerFor(h.t.db, sessionFor(await makeUser(h.t.db, "seer@concord.test", "viewer")), h.engine);
  dashboard().seedSample();
  cms().seedSample();
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

describe("matching two systems before any run", () => {
  it("reads both systems: the same slugs at 1.0, near-matches ranked below, with nothing in Concord yet", async () => {
    expect(await h.engine.db.select().from(records)).toEqual([]);
    const matches = await viewer.links.matches(scope);
    const exact = matches.filter((m) => m.candidates[0]!.score === 1);
    expect(exact).toHaveLength(10);
    for (const m of exact) expect(m.candidates[0]).toMatchObject({ naturalKey: m.naturalKey, reason: "same slug" });
    const kitchen = matches.find((m) => m.name === "Kitchen Fitters")!;
    expect(kitchen.candidates[0]).toMatchObject({ name: "Kitchen Fitting", naturalKey: "kitchen-fitting", reason: "similar name" });
    expect(kitchen.candidates[0]!.score).toBeCloseTo(0.8, 2);
    expect(matches.find((m) => m.name === "Roofing Services")!.candidates[0]!.naturalKey).toBe("roofing");
    expect(await codeOf(viewer.links.matches({ ...scope, from: "cms" }))).toBe("BAD_REQUEST");
  });

  it("links two documents: one record, linked in both, nothing created in the CMS, the differing slug waits as a conflict", async () => {
    const matches = await viewer.links.matches(scope);
    const kitchen = matches.find((m) => m.name === "Kitchen Fitters")!;
    const pair = { entity: "industry", from: { system: "dashboard", externalId: kitchen.candidates[0]!.externalId }, to: { system: "cms", externalId: kitchen.externalId } };
    expect(await codeOf(viewer.links.linkDocuments(pair))).toBe("FORBIDDEN");
    const count = cms().all().length;
    const { link, conflicts: opened } = await admin.links.linkDocuments(pair);
    expect(opened).toEqual([expect.objectContaining({ field: "slug", theirs: "kitchen-fitters", ours: "kitchen-fitting" })]);
    await h.settle();
    expect(cms().all().length).toBe(count);
    const own = await h.engine.db.select().from(links).where(eq(links.recordId, link.recordId));
    expect(own.filter((l) => l.system !== "lead-centre").map((l) => [l.system, l.externalId]).sort()).toEqual([["cms", kitchen.externalId], ["dashboard", pair.from.externalId]]);
    expect(dashboard().all().find((d) => d.slug === "kitchen-fitting")!.cms_id).toBe(kitchen.externalId);
    expect((await h.engine.db.select().from(conflicts).where(and(eq(conflicts.recordId, link.recordId), eq(conflicts.status, "open"))))[0]).toMatchObject({ theirsSystem: "cms", oursSystem: "dashboard" });
    expect(await h.engine.db.select().from(auditLog).where(eq(auditLog.action, "links.linkDocuments"))).toHaveLength(1);
    expect((await viewer.links.matches(scope)).find((m) => m.externalId === kitchen.externalId)).toBeUndefined();
  });

  it("a full run afterwards neither creates kitchen-fitting in the CMS nor holds it", async () => {
    const run = await createRun(h.engine, { entity: "industry", system: "dashboard", kind: "full", trigger: "admin", startedBy: "test" });
    expect((await executeRun(h.engine, run.id)).status).toBe("succeeded");
    await h.settle({ timeoutMs: 60_000 });
    expect(cms().all().map((d) => d.slug)).not.toContain("kitchen-fitting");
    expect((await viewer.duplicates.list({ runId: run.id })).items.map((i) => i.recordKey)).toEqual(["roofing"]);
  });
});
