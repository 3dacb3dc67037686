import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE, SAMPLE_AUTH, SAMPLES_URL } from "./helpers";

/**
 * The CMS goes down: the changes Concord sends it fail, retry on a short schedule and go dead, on the
 * Deliveries page, live. It comes back: one is replayed by its checkbox, the rest with "replay all matching",
 * after the question with the count; they arrive in the CMS.
 */
test.use({ storageState: ADMIN_STATE });
test.describe.configure({ mode: "serial" });

const shot = (name: string) => path.join(process.cwd(), "test-results", "screenshots", `${name}.png`);
const cmsFaults = async (page: Page, faults: Record<string, unknown>) => expect((await page.request.put(`${SAMPLES_URL}/cms/_faults`, { data: faults })).ok()).toBe(true);
const cmsSlugs = async (page: Page) => {
  const res = await page.request.get(`${SAMPLES_URL}/cms/api/industries?limit=500`, { headers: { Authorization: SAMPLE_AUTH.cms } });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { docs: { slug: string }[] }).docs.map((d) => d.slug);
};
/** Back to the shipped schedule, whatever happened. */
const restoreCms = async (page: Page) => {
  await cmsFaults(page, { down: false, errorRate: 0 });
  await page.request.post("/api/trpc/systems.update", { data: { json: { key: "cms", retrySchedule: { delaysSeconds: [5, 25, 125], jitter: 0.2 } } } });
};

test("a system down: deliveries die; back up: replay selected and replay all matching bring them through", async ({ page }) => {
  const stamp = Date.now().toString(36);
  const slugs = [`outage-${stamp}-a`, `outage-${stamp}-b`, `outage-${stamp}-c`];
  try {
    // A short retry schedule for the CMS, set on its own page, so a failing delivery is dead within seconds.
    await page.goto("/systems");
    await page.getByRole("region", { name: "Systems" }).getByRole("link", { name: "CMS (Payload)" }).click();
    await expect(page).toHaveURL((u) => u.pathname === "/systems/cms");
    await expect(page.getByRole("heading", { level: 1, name: "CMS (Payload)" })).toBeVisible();
    const card = page.getByRole("article", { name: "CMS (Payload)" });
    await card.getByText("Edit connection settings and credential").click();
    await card.getByLabel("Retry delays (seconds, comma-separated)").fill("1, 1");
    await card.getByLabel("Jitter (± % of each delay)").fill("0");
    await card.getByRole("button", { name: "Save settings" }).click();
    await expect(card.getByRole("status").filter({ hasText: "Settings saved." })).toBeVisible();
    await expect(card).toContainText("1 s, 1 s");

    // Down: the connection test says so, in plain words.
    await cmsFaults(page, { down: true });
    await page.getByRole("button", { name: "Test connection to CMS (Payload)" }).click();
    await expect(page.getByTestId("connection-report")).toContainText("CMS (Payload) failed at reachability");
    await expect(page.getByTestId("connection-report").locator('[data-step="reachability"]')).toContainText("Could not reach CMS (Payload)");

    // Changes in the Dashboard: Concord hears of them by webhook and sends them to the CMS, which is down.
    for (const slug of slugs) {
      const res = await page.request.post(`${SAMPLES_URL}/dashboard/api/industries`, {
        headers: { Authorization: SAMPLE_AUTH.dashboard },
        data: { name: `Outage ${slug.slice(-1).toUpperCase()}`, slug, description: "sent while the CMS was down", is_active: true },
      });
      expect(res.status()).toBe(201);
    }

    // The Deliveries page follows them live until they are dead.
    await page.goto("/deliveries?system=cms&status=dead");
    await expect(page.getByRole("heading", { level: 1, name: "Deliveries" })).toBeVisible();
    await expect(page.getByTestId("live-status")).toContainText("Live");
    const table = page.getByRole("region", { name: "Deliveries" });
    const row = (slug: string) => table.locator("tbody tr").filter({ has: page.getByTestId("record-key").getByText(slug, { exact: true }) });
    for (const slug of slugs) await expect(row(slug)).toContainText("dead", { timeout: 45_000 });
    await expect(page.getByRole("link", { name: /^Dead \(\d+\)$/ })).toHaveAttribute("aria-current", "page");

    // Each attempt is on the delivery's page: no answer from a system that is down.
    await row(slugs[0]!).getByRole("link", { name: /^#\d+$/ }).click();
    const attempts = page.getByRole("region", { name: "Attempts" });
    await expect(attempts.locator("tbody tr")).not.toHaveCount(0);
    await expect(attempts.locator("tbody tr").first()).toContainText("no answer");
    await page.goBack();

    // Back up. One replayed by its checkbox…
    await cmsFaults(page, { down: false });
    await row(slugs[0]!).getByRole("checkbox").check();
    await page.getByRole("button", { name: "Replay selected (1)" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Replayed 1." })).toBeVisible();
    await expect(row(slugs[0]!)).toHaveCount(0, { timeout: 30_000 });

    // …then every dead one matching the filter, after the question with the count.
    const replayAll = page.getByRole("button", { name: /^Replay all \d+ dead deliver(y|ies) matching this filter…$/ });
    await expect(replayAll).toBeVisible();
    const count = Number((await replayAll.textContent())!.match(/\d+/)![0]);
    expect(count).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: shot("deliveries"), fullPage: true });
    await replayAll.click();
    await expect(page.getByText(`Replay ${count} dead deliveries to CMS (Payload)? Each is sent again now`)).toBeVisible();
    await page.getByRole("button", { name: `Yes, replay ${count}` }).click();
    await expect(page.getByRole("status").filter({ hasText: `Replayed ${count}` })).toBeVisible();
    await expect(page.getByRole("heading", { name: "No dead deliveries" })).toBeVisible({ timeout: 30_000 });

    // They all arrived.
    await expect
      .poll(async () => {
        const inCms = new Set(await cmsSlugs(page));
        return slugs.filter((s) => !inCms.has(s));
      }, { timeout: 30_000 })
      .toEqual([]);
    await page.goto("/deliveries?system=cms&status=succeeded");
    for (const slug of slugs) await expect(row(slug).first()).toContainText("succeeded");
    await page.screenshot({ path: shot("deliveries-succeeded"), fullPage: true });

    // The connection test passes again; the Systems pages, with the field ownership matrix.
    await page.goto("/systems/cms");
    await page.getByRole("button", { name: "Test connection to CMS (Payload)" }).click();
    await expect(page.getByTestId("connection-report")).toContainText("CMS (Payload) passed every step");
    const matrix = page.getByRole("region", { name: "Field ownership of industry" });
    await expect(matrix.locator('tr[data-field="name"] td[data-system="lead-centre"]')).toContainText("Receives");
    await expect(matrix.locator('tr[data-field="name"] td[data-system="lead-centre"]')).toContainText("title");
    await expect(matrix.locator('tr[data-field="id:cms"] td[data-system="dashboard"]')).toContainText("cms_id");
    await page.screenshot({ path: shot("system-detail"), fullPage: true });
    await page.goto("/systems");
    await page.screenshot({ path: shot("systems"), fullPage: true });
  } finally {
    await restoreCms(page);
  }
});
