import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { concordPlugin, type FetchLike } from "../../integrations/payload/src/index";
import { startHarness, type Harness } from "../helpers/harness";
import { startPayload, type RealPayload } from "../helpers/payload";

// The plugin inside a real Payload 3 (SQLite adapter, and Postgres on the Postgres pass; Local API) sending to Concord's real webhook
// intake: each event leaves right after the write's transaction commits, carries the committed
// document, and a write that is rolled back sends nothing.

interface Received {
  type: string;
  data: Record<string, unknown>;
  status: number;
  at: number;
  /** The document as a fresh read outside the write's transaction saw it when the event left. */
  committed: Record<string, unknown> | null;
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: false });
}, 180_000);
afterAll(async () => {
  await h?.stop();
});

async function site(transactions: boolean, adapter: "sqlite" | "postgres" = "sqlite") {
  const received: Received[] = [];
  let cms: RealPayload | null = null;
  const recordingFetch: FetchLike = async (url, init) => {
    const event = JSON.parse(init.body) as { type: string; data: Record<string, unknown> };
    const committed = event.type.endsWith(".deleted")
      ? null
      : ((await cms!.payload.findByID({ collection: "industries", id: event.data.id as number, depth: 0, disableErrors: true })) as Record<string, unknown> | null);
    const res = await fetch(url, init);
    received.push({ ...event, status: res.status, at: performance.now(), committed });
    return res;
  };
  const plugin = concordPlugin({ concordUrl: h.concordUrl, system: "cms", secret: h.samples.secrets.cms, collections: { industries: "industry" }, fetch: recordingFetch });
  cms = await startPayload({
    plugins: [plugin],
    adapter,
    transactions,
    industryHooks: {
      // A failure after the plugin's afterChange / afterDelete hooks ran: Payload rolls the write back.
      afterOperation: [
        ({ operation, result }) => {
          const name = (result as { name?: string } | undefined)?.name;
          if ((operation === "create" || operation === "updateByID" || operation === "deleteByID") && name?.startsWith("Roll back")) throw new Error("site hook failed");
          return result;
        },
      ],
    },
  });
  return { cms, plugin, received };
}

/** Bounded wait for the event of one write (never a fixed sleep). */
async function eventFor(received: Received[], type: string, id: unknown, timeoutMs = 5000): Promise<Received> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const hit = received.find((r) => r.type === type && r.data.id === id);
    if (hit) return hit;
    if (performance.now() > deadline) throw new Error(`no ${type} for ${String(id)} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil(values.length * q) - 1)]!;
const p95 = (values: number[]) => quantile(values, 0.95);

// SQLite as a fresh Payload site has it (transactions off) and with transactions on; Payload's Postgres
// adapter too when the suite runs on Postgres.
const setups: Array<{ adapter: "sqlite" | "postgres"; transactions: boolean; label: string }> = [
  { adapter: "sqlite", transactions: false, label: "SQLite adapter, transactions off (its default)" },
  { adapter: "sqlite", transactions: true, label: "SQLite adapter, transactions on" },
  ...(process.env.TEST_DATABASE_URL ? [{ adapter: "postgres" as const, transactions: true, label: "Postgres adapter" }] : []),
];

describe.each(setups)("Payload plugin in a real Payload 3 ($label)", ({ adapter, transactions, label }) => {
  let s: Awaited<ReturnType<typeof site>>;
  beforeAll(async () => {
    s = await site(transactions, adapter);
  }, 180_000);
  afterAll(async () => {
    await s?.plugin.idle();
    await s?.cms.stop();
  });

  it("create, update and delete reach Concord's intake signed (202) within 1 s of the write returning (p95 over 50 writes), each with the committed document", async () => {
    const { payload } = s.cms;
    const lags: Record<string, number[]> = { created: [], updated: [], deleted: [] };
    const ids: number[] = [];
    const measure = async (kind: "created" | "updated" | "deleted", write: () => Promise<{ id: number | string }>) => {
      const doc = await write();
      const returned = performance.now();
      const event = await eventFor(s.received, `industry.${kind}`, doc.id);
      expect(event.status).toBe(202);
      lags[kind]!.push(Math.max(0, event.at - returned));
      return { doc, event };
    };
    for (let i = 0; i < 20; i++) {
      const { doc, event } = await measure("created", () => payload.create({ collection: "industries", data: { name: `Industry ${i}`, slug: `industry-${i}`, description: `Number ${i}.`, seoTitle: `SEO ${i}` } }));
      // What Concord got is what was committed: a read outside the transaction, made as the event left, saw the same document.
      expect(event.committed).toEqual(event.data);
      expect(event.data).toMatchObject({ id: doc.id, name: `Industry ${i}`, slug: `industry-${i}`, active: true, seoTitle: `SEO ${i}` });
      ids.push(doc.id as number);
    }
    for (const [i, id] of ids.entries()) {
      const { event } = await measure("updated", () => payload.update({ collection: "industries", id, data: { description: `Updated ${i}.` } }));
      expect(event.committed).toEqual(event.data);
      expect(event.data).toMatchObject({ id, description: `Updated ${i}.` });
    }
    for (const id of ids.slice(0, 10)) {
      const { event } = await measure("deleted", () => payload.delete({ collection: "industries", id }));
      expect(event.data).toMatchObject({ id, slug: expect.stringMatching(/^industry-/) });
      expect(await payload.findByID({ collection: "industries", id, disableErrors: true })).toBeNull();
    }

    const all = Object.values(lags).flat();
    expect(all).toHaveLength(50);
    const fmt = (v: number[]) => `p50 ${quantile(v, 0.5).toFixed(1)} ms, p95 ${p95(v).toFixed(1)} ms, max ${Math.max(...v).toFixed(1)} ms`;
    console.log(`[payload plugin, ${label}] write returned → Concord answered 202, over ${all.length} writes: ${fmt(all)}; create ${fmt(lags.created!)}; update ${fmt(lags.updated!)}; delete ${fmt(lags.deleted!)}`);
    expect(p95(all)).toBeLessThan(1000);
  }, 120_000); // 50 writes through Payload: seconds on an idle machine, longer on a busy CI one

  // Without a transaction there is nothing to roll back: a failing hook leaves the write in place.
  if (transactions) it("a write whose transaction is rolled back sends nothing; the next write still goes", async () => {
    const { payload } = s.cms;
    const before = s.received.length;
    await expect(payload.create({ collection: "industries", data: { name: "Roll back create", slug: "roll-back-create" } })).rejects.toThrow(/site hook failed/);
    expect(await payload.find({ collection: "industries", where: { slug: { equals: "roll-back-create" } } })).toMatchObject({ totalDocs: 0 });

    const kept = await payload.create({ collection: "industries", data: { name: "Kept", slug: "kept" } });
    await eventFor(s.received, "industry.created", kept.id);
    await expect(payload.update({ collection: "industries", id: kept.id, data: { name: "Roll back update" } })).rejects.toThrow(/site hook failed/);
    expect(await payload.findByID({ collection: "industries", id: kept.id })).toMatchObject({ name: "Kept" });

    const marker = await payload.create({ collection: "industries", data: { name: "After the failures", slug: "after-the-failures" } });
    await eventFor(s.received, "industry.created", marker.id);
    await s.plugin.idle();
    expect(s.received.slice(before).map((r) => `${r.type} ${String(r.data.name)}`)).toEqual(["industry.created Kept", "industry.created After the failures"]);
  });

  it("Concord's intake stored each event once (no retries needed)", async () => {
    await s.plugin.idle();
    expect(s.received.every((r) => r.status === 202)).toBe(true);
  });
});
