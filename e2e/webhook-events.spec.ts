import { createHmac } from "node:crypto";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE, SAMPLE_AUTH, SAMPLES_URL } from "./helpers";

/**
 * A webhook event Concord stored but cannot apply (a thin event whose document cannot be read: the Dashboard is
 * down) shows on the Dashboard's page with its attempts, retrying. The admin replays it; once the Dashboard is back
 * it applies and the section says every event applied.
 */
test.use({ storageState: ADMIN_STATE });

const shot = (name: string) => path.join(process.cwd(), "test-results", "screenshots", `${name}.png`);
const dashboardFaults = async (page: Page, faults: Record<string, unknown>) => expect((await page.request.put(`${SAMPLES_URL}/dashboard/_faults`, { data: faults })).ok()).toBe(true);

/** Standard Webhooks headers for `body`, signed with the Dashboard's secret, as the Dashboard itself would send. */
function signed(body: string): Record<string, string> {
  const secret = process.env.E2E_DASHBOARD_WEBHOOK_SECRET;
  if (!secret) throw new Error("E2E_DASHBOARD_WEBHOOK_SECRET is not set (scripts/e2e.mjs sets it)");
  const id = `msg_e2e_${Date.now().toString(36)}`;
  const ts = Math.floor(Date.now() / 1000).toString();
  const signature = createHmac("sha256", Buffer.from(secret.replace(/^whsec_/, ""), "base64")).update(`${id}.${ts}.${body}`).digest("base64");
  return { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": ts, "webhook-signature": `v1,${signature}` };
}

test("an event that cannot be applied is listed with its attempts, retrying; replayed once its system is back, it applies", async ({ page }) => {
  const stamp = Date.now().toString(36);
  const created = await page.request.post(`${SAMPLES_URL}/dashboard/api/industries`, {
    headers: { Authorization: SAMPLE_AUTH.dashboard },
    data: { name: `Thin ${stamp}`, slug: `thin-${stamp}`, description: "read on demand", is_active: true },
  });
  expect(created.ok()).toBe(true);
  const { id: docId } = ((await created.json()) as { data: { id: number | string } }).data;
  try {
    await dashboardFaults(page, { down: true });
    const body = JSON.stringify({ type: "industry.updated", timestamp: new Date().toISOString(), data: { id: docId } });
    const stored = await page.request.post("/api/webhooks/dashboard", { headers: signed(body), data: body });
    expect(stored.status(), await stored.text()).toBe(202);

    await page.goto("/systems/dashboard");
    const section = page.getByRole("region", { name: /Webhook events from .* that did not apply/ });
    await expect(async () => {
      await page.reload();
      await expect(section.getByRole("row").filter({ hasText: `document ${docId}` })).toContainText("Retrying", { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    const row = section.getByRole("row").filter({ hasText: `document ${docId}` });
    await expect(row).toContainText("industry.updated");
    await row.getByText(/\d+ attempts?/).click();
    await expect(row.getByRole("listitem").first()).toContainText("retrying");
    await page.screenshot({ path: shot("webhook-events-retrying"), fullPage: true });

    await dashboardFaults(page, { down: false });
    await row.getByRole("button", { name: /^Replay event/ }).click();
    await expect(page.getByRole("status").filter({ hasText: "goes back to the inbox now" }).or(page.getByRole("alert").filter({ hasText: "nothing to do" }))).toBeVisible();
    await expect(async () => {
      await page.reload();
      await expect(page.getByText("Every webhook event from Dashboard has applied.")).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
  } finally {
    await dashboardFaults(page, { down: false });
  }
});
