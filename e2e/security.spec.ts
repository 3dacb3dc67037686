import { expect, test } from "@playwright/test";
import { ADMIN_STATE, PAGES } from "./helpers";

const EVIL = "https://evil.example";

test("every page carries the security headers, and the console works under its Content-Security-Policy", async ({ browser, baseURL }) => {
  const anonymous = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const signin = await (await anonymous.newPage()).goto("/signin");
  await anonymous.close();
  for (const res of [signin!]) {
    const h = res.headers();
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(h["content-security-policy"]).toContain("default-src 'self'");
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  }
  const ctx = await browser.newContext({ storageState: ADMIN_STATE, baseURL });
  const page = await ctx.newPage();
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect)/i.test(m.text())) violations.push(m.text());
  });
  for (const p of PAGES) {
    const res = await page.goto(p.path);
    expect(res!.headers()["content-security-policy"], p.path).toContain("frame-ancestors 'none'");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  }
  expect(violations).toEqual([]);
  // An API answer is no document: it may load nothing and be framed by no one.
  const api = (await page.request.get("/api/health")).headers();
  expect(api["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(api["x-frame-options"]).toBe("DENY");
  expect(api["x-content-type-options"]).toBe("nosniff");
  await ctx.close();
});

test.describe("tRPC writes with a session", () => {
  test.use({ storageState: ADMIN_STATE });

  test("a cross-origin multipart mutation carrying the admin's session cookie is refused and changes nothing", async ({ page, baseURL }) => {
    const name = `csrf-${Date.now()}`;
    const forged = await page.request.post("/api/trpc/apiKeys.create", { multipart: { name, scopes: "read" }, headers: { Origin: EVIL, "Sec-Fetch-Site": "cross-site" } });
    expect(forged.status()).toBe(403);
    expect(await forged.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
    const json = await page.request.post("/api/trpc/apiKeys.create", { data: { json: { name, scopes: ["read"] } }, headers: { Origin: EVIL } });
    expect(json.status()).toBe(403);
    await page.goto("/settings");
    await expect(page.getByRole("region", { name: "API keys" }).getByRole("row").filter({ hasText: name })).toHaveCount(0);

    // From Concord's own origin the same call goes through; an API key is not affected by Origin at all.
    const own = await page.request.post("/api/trpc/apiKeys.create", { data: { json: { name, scopes: ["write"] } }, headers: { Origin: new URL(baseURL!).origin } });
    expect(own.status()).toBe(200);
    const key = ((await own.json()) as { result: { data: { json: { key: string } } } }).result.data.json.key;
    const tool = await page.request.post("/api/trpc/records.upsert", {
      data: { json: { entity: "industry", origin: "dashboard", data: { name: "Csrf Check", slug: `csrf-check-${Date.now()}` } } },
      headers: { Origin: EVIL, Authorization: `Bearer ${key}` },
    });
    expect(tool.status()).toBe(200);
  });
});
