import { TRPCError } from "@trpc/server";
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, deliveries, links } from "~/server/db/schema";
import { callerFor, makeUser, sessionFor } from "../helpers/actors";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
let admin: ReturnType<typeof callerFor>;
let viewer: ReturnType<typeof callerFor>;
beforeAll(async () => {
  h = await startHarness();
  admin = callerFor(h.t.db, sessionFor(await makeUser(h.t.db, "deliveries-console-admin@concord.test", "admin")), h.engine);
  viewer = callerFor(h.t.db, sessionFor(await makeUser(h.t.db, "deliveries-console-viewer@concord.test", "viewer")), h.engine);
});
afterAll(async () => {
  await h?.stop();
});

const dashboard = () => h.samples.system("dashboard");
const cms = () => h.samples.system("cms");
const leadCentre = () => h.samples.system("lead-centre");
const inCms = (slug: string) => cms().all().find((d) => d.slug === slug);
const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof TRPCError ? e.code : String(e)));
const JAN_2020 = { from: new Date("2020-01-01T00:00:00Z"), to: new Date("2020-01-31T23:59:59.999Z") };

async function recordOf(slug: string): Promise<string> {
  const doc = dashboard().all().find((d) => d.slug === slug)!;
  const [link] = await h.t.db.select().from(links).where(and(eq(links.system, "dashboard"), eq(links.externalId, String(doc.id))));
  return link!.recordId;
}
const statusesOf = async (recordId: string, system: string) =>
  (await h.t.db.select({ status: deliveries.status }).from(deliveries).where(and(eq(deliveries.recordId, recordId), eq(deliveries.system, system))).orderBy(asc(deliveries.id))).map((d) => d.status);

describe("deliveries console", () => {
  it("filters by status, system, entity, record and date, counts per status, and replays exactly the filtered set", async () => {
    // The CMS and the Lead Centre are down: every delivery of these three records dies (retries are 1 s here).
    cms().setFaults({ down: true });
    leadCentre().setFaults({ errorRate: 1 });
    for (const slug of ["filter-a", "filter-b", "filter-c"]) dashboard().create({ name: slug, slug, description: "dead on arrival", is_active: true });
    await h.settle({ timeoutMs: 60_000 });
    const [a, b, c] = await Promise.all(["filter-a", "filter-b", "filter-c"].map(recordOf));
    // a's and b's CMS deliveries were queued in January 2020, c's today.
    await h.t.db.update(deliveries).set({ createdAt: new Date("2020-01-15T12:00:00Z") }).where(and(inArray(deliveries.recordId, [a!, b!]), eq(deliveries.system, "cms")));

    const january = await viewer.deliveries.list({ system: "cms", ...JAN_2020 });
    expect(january.items.map((d) => d.recordId).sort()).toEqual([a, b].sort());
    expect(january.items.map((d) => d.recordKey).sort()).toEqual(["filter-a", "filter-b"]);
    expect((await viewer.deliveries.list({ recordId: c!, system: "cms" })).items.map((d) => d.status)).toEqual(["dead"]);
    expect((await viewer.deliveries.list({ status: ["dead"], system: "cms", entity: "industry", from: new Date("2020-02-01T00:00:00Z") })).items.map((d) => d.recordId)).toEqual([c]);
    const counts = await viewer.deliveries.counts({ system: "cms", ...JAN_2020 });
    expect(counts).toMatchObject({ dead: 2, pending: 0, retrying: 0, succeeded: 0 });
    expect((await viewer.deliveries.counts({ system: "lead-centre", recordId: a! })).dead).toBe(1);
    const backwards = await viewer.deliveries.list({ from: JAN_2020.to, to: JAN_2020.from }).catch((e: unknown) => e);
    expect((backwards as TRPCError).code).toBe("BAD_REQUEST");
    expect(JSON.stringify((backwards as TRPCError).cause)).toMatch(/path.*to.*must not be before from/s);

    cms().setFaults({ down: false });
    leadCentre().setFaults({ errorRate: 0 });
    const filter = { status: "dead" as const, system: "cms", entity: "industry", ...JAN_2020 };
    expect(await codeOf(viewer.deliveries.replayMany({ filter, expectedCount: 2 }))).toBe("FORBIDDEN");
    expect(await codeOf(admin.deliveries.replayMany({ filter, expectedCount: 3 }))).toBe("CONFLICT");
    expect(await admin.deliveries.replayMany({ filter, expectedCount: 2 })).toEqual({ replayed: 2, superseded: 0, skipped: 0 });
    await h.settle({ timeoutMs: 60_000 });

    // Exactly the filtered set went out: a and b reached the CMS; c's CMS delivery and every Lead Centre delivery are still dead.
    expect(inCms("filter-a")).toBeTruthy();
    expect(inCms("filter-b")).toBeTruthy();
    expect(inCms("filter-c")).toBeUndefined();
    expect(await statusesOf(c!, "cms")).toEqual(["dead"]);
    for (const r of [a!, b!, c!]) expect(await statusesOf(r, "lead-centre")).toEqual(["dead"]);
    const [audit] = await h.t.db.select().from(auditLog).where(eq(auditLog.action, "deliveries.replayMany")).orderBy(desc(auditLog.id)).limit(1);
    expect(audit!.target).toBe("deliveries:dead system=cms entity=industry from=2020-01-01T00:00:00.000Z to=2020-01-31T23:59:59.999Z");
    expect(audit!.actorLabel).toBe("deliveries-console-admin@concord.test");

    // By record: only c's delivery to the Lead Centre.
    expect(await admin.deliveries.replayMany({ filter: { status: "dead", system: "lead-centre", recordId: c! }, expectedCount: 1 })).toMatchObject({ replayed: 1 });
    await h.settle({ timeoutMs: 60_000 });
    expect(await statusesOf(c!, "lead-centre")).toEqual(["succeeded"]);
    expect(await statusesOf(a!, "lead-centre")).toEqual(["dead"]);
    expect(await statusesOf(c!, "cms")).toEqual(["dead"]);
  }, 180_000);
});
