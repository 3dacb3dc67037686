import { expect, test } from "@playwright/test";
import { ADMIN_STATE, screenshotPath } from "./helpers";

/** A vessel's references by name (after fleet.spec.ts has synced the fleet). */
test.use({ storageState: ADMIN_STATE });

test("a vessel's page shows its company by name, linked, and each system's own id for it; the audit log names its targets", async ({ page }) => {
  await page.goto("/records?entity=vessel");
  await page.getByRole("region", { name: "Vessel records" }).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/records\/[0-9a-f-]{36}$/);
  const company = page.locator('tr[data-field="company"]');
  const parent = company.getByRole("link");
  await expect(parent).toHaveAttribute("href", /^\/records\/[0-9a-f-]{36}$/);
  await expect(parent).not.toHaveText(/^[0-9a-f-]{36}$/);
  // The Maintenance Portal's column holds its own id for the company (a number), under its own field name.
  await expect(company).toContainText(/\dcompany_id/);
  await page.screenshot({ path: screenshotPath("record-vessel-references"), fullPage: true });

  await page.goto("/audit");
  await expect(page.getByRole("link", { name: /\((user|company|vessel|industry)\)$/ }).first()).toBeVisible();
  await page.screenshot({ path: screenshotPath("audit-named-targets"), fullPage: true });
  await page.goto("/deliveries");
  await expect(page.getByText(/^\d+ requests?(, \d+ failed)?$/).first()).toBeVisible();
  await page.screenshot({ path: screenshotPath("deliveries-requests"), fullPage: true });
});
