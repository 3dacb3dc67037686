import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { stopEventLog } from "~/server/services/events/event-log";
import { streamForSession } from "~/server/services/events/stream-for-session";
import { makeUser } from "../../helpers/actors";
import { createTestDb, type TestDb } from "../../helpers/db";
import { createTestEngine } from "../../helpers/engine";

let t: TestDb;
let engine: Engine;
beforeAll(async () => {
  t = await createTestDb();
  engine = await createTestEngine(t);
});
afterAll(async () => {
  await stopEventLog(engine);
  await t.destroy();
});

/** Reads a stream to its end in the background; `ended()` says whether the server closed it. */
function follow(res: Response) {
  let text = "";
  let ended = false;
  void (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    ended = true;
  })();
  return { ended: () => ended, text: () => text };
}
async function until(check: () => boolean, what: string, ms = 15_000) {
  for (const end = Date.now() + ms; !check(); await new Promise((r) => setTimeout(r, 20))) if (Date.now() > end) throw new Error(`timed out: ${what}`);
}

describe("live streams over time", () => {
  it("the stream of a user disabled meanwhile ends", async () => {
    const u = await makeUser(t.db, "streamer@concord.test", "viewer");
    const abort = new AbortController();
    const res = await streamForSession({ engine, session: { user: { id: u.id } }, lastEventId: null, signal: abort.signal, heartbeatMs: 60_000, pollMs: 60_000, recheckMs: 50 });
    expect(res.status).toBe(200);
    const s = follow(res);
    await until(() => s.text().includes("retry:"), "the stream to open");
    expect(s.ended()).toBe(false);
    await t.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, u.id));
    await until(() => s.ended(), "the stream to end once its user is disabled");
    abort.abort();
    const again = await streamForSession({ engine, session: { user: { id: u.id } }, lastEventId: null, heartbeatMs: 60_000, pollMs: 60_000 });
    expect(again.status, "disabled users' sessions are refused at reconnect").toBe(401);
  });

  it("a stream ends after its bound, having told the client where to resume", async () => {
    const u = await makeUser(t.db, "bounded@concord.test", "viewer");
    const res = await streamForSession({ engine, session: { user: { id: u.id } }, lastEventId: null, heartbeatMs: 60_000, pollMs: 60_000, maxDurationMs: 300 });
    const s = follow(res);
    await until(() => s.ended(), "the stream to end at its bound");
    expect(s.text()).toMatch(/^id: \d+$/m);
  });

  it("refuses a stream without a session", async () => {
    expect((await streamForSession({ engine, session: null, lastEventId: null })).status).toBe(401);
  });
});
