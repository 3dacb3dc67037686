import { expect, test } from "@playwright/test";
import { VIEWER_STATE } from "./helpers";

test.describe("live progress for a signed-in user", () => {
  test.use({ storageState: VIEWER_STATE });

  test("GET /api/sync/updates is an event stream the browser's EventSource opens", async ({ page }) => {
    await page.goto("/");
    const got = await page.evaluate(async () => {
      const ctrl = new AbortController();
      const res = await fetch("/api/sync/updates", { signal: ctrl.signal });
      const { value } = await res.body!.getReader().read();
      ctrl.abort();
      const opened = await new Promise<boolean>((resolve) => {
        const es = new EventSource("/api/sync/updates");
        const done = (ok: boolean) => (es.close(), resolve(ok));
        es.onopen = () => done(true);
        es.onerror = () => done(false);
      });
      return { status: res.status, type: res.headers.get("content-type"), cache: res.headers.get("cache-control"), first: new TextDecoder().decode(value), opened };
    });
    expect(got.status).toBe(200);
    expect(got.type).toMatch(/^text\/event-stream/);
    expect(got.cache).toBe("no-cache, no-transform");
    expect(got.first).toMatch(/^retry: \d+/);
    expect(got.opened).toBe(true);
  });
});

test("an anonymous request for either stream is refused with 401", async ({ playwright, baseURL }) => {
  const anonymous = await playwright.request.newContext({ baseURL });
  for (const path of ["/api/sync/updates", "/api/sync/runs/00000000-0000-4000-8000-000000000000/events"]) {
    const res = await anonymous.get(path, { headers: { accept: "text/event-stream" } });
    expect(res.status(), path).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
  }
  await anonymous.dispose();
});
