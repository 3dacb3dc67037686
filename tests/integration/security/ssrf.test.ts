import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConnector, hostAllowed } from "~/sync/connectors";
import { deliveries, deliveryAttempts, systems } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { updateSystem } from "~/server/services/systems/update-system";
import { systemActor } from "~/server/services/actor";
import { callerFor, makeUser, sessionFor } from "../../helpers/actors";
import { createTestDb, type TestDb } from "../../helpers/db";
import { createTestEngine } from "../../helpers/engine";

let t: TestDb;
let engine: Engine;
let server: Server;
let base = "";
const hits: string[] = [];
const SECRET_ANSWER = "upstream-private-answer-4417";

beforeAll(async () => {
  t = await createTestDb();
  // Answers every request with a redirect elsewhere (which must never be followed) or a 500 with a body.
  server = createServer((req, res) => {
    hits.push(req.url ?? "");
    if (req.url?.startsWith("/redirect")) res.writeHead(302, { location: `${base}/elsewhere` }).end();
    else res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: SECRET_ANSWER }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  engine = await createTestEngine(t, { allowedHosts: [`127.0.0.1:${(server.address() as AddressInfo).port}`, "*.example.com"] });
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await t.destroy();
});

const ctx = (baseUrl: string, allowedHosts: string[] | null) => ({ baseUrl, timeoutMs: 2000, fetch: globalThis.fetch, allowedHosts });

describe("where Concord's requests may go", () => {
  it("reads the allow-list: host, host:port and *.domain", () => {
    const list = ["cms.example.org", "127.0.0.1:4000", "*.example.com"];
    expect(hostAllowed(new URL("https://cms.example.org/api"), list)).toBe(true);
    expect(hostAllowed(new URL("http://127.0.0.1:4000/x"), list)).toBe(true);
    expect(hostAllowed(new URL("http://127.0.0.1:4001/x"), list)).toBe(false);
    expect(hostAllowed(new URL("https://a.b.example.com"), list)).toBe(true);
    expect(hostAllowed(new URL("https://example.com.evil.net"), list)).toBe(false);
    expect(hostAllowed(new URL("http://169.254.169.254/latest/meta-data"), list)).toBe(false);
    expect(hostAllowed(new URL("http://169.254.169.254/"), null)).toBe(true);
  });

  it("a connector refuses a host off the list without sending anything, and never follows a redirect", async () => {
    const before = hits.length;
    expect(() => createConnector("payload", ctx("http://169.254.169.254", ["127.0.0.1"]))).toThrow(/not on the allowed hosts list/);
    const allowed = createConnector("payload", ctx(`${base}/redirect`, [new URL(base).host]));
    await expect(allowed.get("industries", "1")).rejects.toThrow(/HTTP 302/);
    expect(hits.slice(before)).toHaveLength(1);
    expect(hits.slice(before)[0]).toMatch(/^\/redirect\/api\/industries\/1/);
  });

  it("an admin cannot point a system at a host off the list, nor at anything but http(s)", async () => {
    await expect(updateSystem({ engine, actor: systemActor, input: { key: "cms", baseUrl: "http://169.254.169.254/latest" } })).rejects.toThrow(/not on the allowed hosts list/);
    await expect(updateSystem({ engine, actor: systemActor, input: { key: "cms", baseUrl: "file:///etc/passwd" } })).rejects.toThrow();
    const [row] = await t.db.select().from(systems).where(eq(systems.key, "cms"));
    expect(row!.baseUrl).not.toContain("169.254");
    await updateSystem({ engine, actor: systemActor, input: { key: "cms", baseUrl: "https://cms.example.com" } });
  });

  it("shows what a system answered (response excerpts) to admins only", async () => {
    const [d] = await t.db.insert(deliveries).values({ recordId: randomUUID(), entity: "industry", system: "cms", status: "dead" }).returning({ id: deliveries.id });
    await t.db.insert(deliveryAttempts).values({ deliveryId: Number(d!.id), outcome: "dead", statusCode: 500, excerpt: SECRET_ANSWER });
    const viewer = await makeUser(t.db, "viewer-ssrf@concord.test", "viewer");
    const admin = await makeUser(t.db, "admin-ssrf@concord.test", "admin");
    const asViewer = await callerFor(t.db, sessionFor(viewer), engine).deliveries.get({ id: Number(d!.id) });
    expect(JSON.stringify(asViewer)).not.toContain(SECRET_ANSWER);
    const asAdmin = await callerFor(t.db, sessionFor(admin), engine).deliveries.get({ id: Number(d!.id) });
    expect(asAdmin.attempts[0]!.excerpt).toBe(SECRET_ANSWER);

    await t.db.update(systems).set({ baseUrl: base }).where(eq(systems.key, "cms"));
    const probe = await callerFor(t.db, sessionFor(viewer), engine).systems.testConnection({ key: "cms" });
    expect(probe.ok).toBe(false);
    expect(JSON.stringify(probe)).not.toContain(SECRET_ANSWER);
    const probeAdmin = await callerFor(t.db, sessionFor(admin), engine).systems.testConnection({ key: "cms" });
    expect(JSON.stringify(probeAdmin)).toContain(SECRET_ANSWER);
  });
});
